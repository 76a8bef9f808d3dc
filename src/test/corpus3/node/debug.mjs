// debug 4 with stderr not a terminal (and DEBUG=llm:*): each line starts with the ISO time and the namespace.
// %j formats the argument as JSON. The data is ollama 0.6.4's ChatResponse counts (prompt_eval_count is the
// prompt, eval_count the completion; durations in nanoseconds).
import createDebug from "debug";

const debug = createDebug("llm:ollama");
debug("pulling model llama3.1:8b done");
// ollama.chat({ model: "llama3.1:8b", ... }) => response
debug("token_usage %j", {
  model: "llama3.1:8b", provider: "ollama", done_reason: "stop",
  total_duration: 4935886791, load_duration: 534986708, prompt_eval_count: 26, prompt_eval_duration: 107345000,
  eval_count: 237, eval_duration: 4289432000,
});
debug("token_usage write skipped: database unavailable");
