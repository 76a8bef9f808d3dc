"""daiquiri 3.0 with its default output to stderr (daiquiri.setup()): the stdlib-based text format
"2025-11-09 10:00:00,123 [pid] INFO     name: message [key: value] ..." where extra= keys are appended in brackets.

The usage is an AWS Bedrock InvokeModel response body of an Anthropic model (the Messages API body:
usage.input_tokens excludes cache reads and writes, which are reported apart), flattened into extras."""
import logging

import daiquiri

daiquiri.setup(level=logging.INFO, outputs=[daiquiri.output.Stream(formatter=daiquiri.formatter.ExtrasFormatter(
    fmt="%(asctime)s [%(process)d] %(levelname)-8.8s %(name)s: %(message)s%(extras)s"))])
log = daiquiri.getLogger("bedrock")
log.info("model invoked")
usage = {"input_tokens": 45, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1800, "output_tokens": 220}
log.info("token_usage", provider="anthropic", model="anthropic.claude-3-5-sonnet-20241022-v2:0", **usage)
log.error("token_usage insert failed", error="timeout")
