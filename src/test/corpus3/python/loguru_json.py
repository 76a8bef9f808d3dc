"""loguru 0.6 with serialize=True: each line is {"text": ..., "record": {...}} with the bound fields in record.extra
and the time in record.time ({"repr": ..., "timestamp": ...}).

The usage is an AWS Bedrock InvokeModel response body of a Meta Llama model, as boto3 hands it back
(json.loads(response["body"].read())): prompt_token_count, generation_token_count."""
import sys

from loguru import logger

logger.remove()
logger.add(sys.stdout, serialize=True)

logger.info("bedrock client ready in {}", "us-east-1")
body = {"generation": " Paris is the capital of France.", "prompt_token_count": 18, "generation_token_count": 107,
        "stop_reason": "stop"}
logger.bind(provider="bedrock", model_id="meta.llama3-1-70b-instruct-v1:0", body=body).info("token_usage")
try:
    raise RuntimeError('duplicate key value violates unique constraint "token_usage_pkey"')
except RuntimeError:
    logger.exception("could not store token_usage")
