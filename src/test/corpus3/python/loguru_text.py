"""loguru 0.6 with its default format (local time without zone, TZ=UTC here):
"2025-11-09 10:00:00.123 | INFO     | __main__:<module>:12 - message".

The usage is an AWS Bedrock InvokeModel response body of Amazon Titan Text (inputTextTokenCount, and
results[0].tokenCount for the output), logged as JSON after the word."""
import json
import sys

from loguru import logger

logger.remove()
logger.add(sys.stdout, colorize=False)

logger.info("starting summariser")
body = {"inputTextTokenCount": 12, "results": [{"tokenCount": 57, "outputText": "A short summary.",
                                                  "completionReason": "FINISH"}]}
logger.info("token_usage {}", json.dumps({"modelId": "amazon.titan-text-express-v1", "body": body}))
logger.warning("token_usage table not found, events only logged")
