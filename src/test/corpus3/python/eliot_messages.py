"""eliot 1.13: log_message(message_type=..., **fields) writes one JSON object a line with "timestamp" (epoch seconds),
"task_uuid", "task_level" and the fields, here to stdout through eliot's FileDestination.

The usage is huggingface_hub's ChatCompletionOutput.usage (prompt_tokens, completion_tokens, total_tokens) of an
InferenceClient.chat_completion call, with the model it answered with."""
import sys

from eliot import log_message, start_action, to_file

to_file(sys.stdout)
log_message(message_type="app:startup", version="1.4.2")
with start_action(action_type="llm:chat", model="meta-llama/Llama-3.1-8B-Instruct"):
    log_message(message_type="token_usage", provider="huggingface", model="meta-llama/Llama-3.1-8B-Instruct",
                usage={"prompt_tokens": 44, "completion_tokens": 128, "total_tokens": 172})
log_message(message_type="db:error", error="token_usage table is read-only")
