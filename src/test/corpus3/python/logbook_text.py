"""Logbook 1.5 with its default StreamHandler format
"[{record.time:%Y-%m-%d %H:%M:%S.%f%z}] {record.level_name}: {record.channel}: {record.message}" (UTC, no zone).

The usage is DeepSeek's chat completion usage (OpenAI-compatible: prompt_tokens already includes
prompt_cache_hit_tokens and prompt_cache_miss_tokens; completion_tokens includes reasoning tokens)."""
import json
import sys

import logbook

logbook.StreamHandler(sys.stdout).push_application()
log = logbook.Logger("llm")
log.info("deepseek client ready")
usage = {"prompt_tokens": 1500, "completion_tokens": 300, "total_tokens": 1800, "prompt_cache_hit_tokens": 1024,
         "prompt_cache_miss_tokens": 476, "completion_tokens_details": {"reasoning_tokens": 120}}
log.info("token_usage {}", json.dumps({"provider": "deepseek", "model": "deepseek-reasoner", "usage": usage}))
log.error("token_usage: could not reach database")
