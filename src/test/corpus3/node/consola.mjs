// consola 3 off a terminal (basic reporter): "[info] [tag] message" with only the time of day, no date.
// The usage is Together AI's chat completion usage (together-ai 0.52.0: prompt_tokens, completion_tokens, total_tokens).
import { createConsola } from "consola";

const log = createConsola({ level: 3, formatOptions: { date: true, colors: false } }).withTag("together");
log.info("client created");
log.info("token_usage", JSON.stringify({ provider: "together", model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", usage: { prompt_tokens: 58, completion_tokens: 19, total_tokens: 77 } }));
