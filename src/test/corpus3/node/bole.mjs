// bole 6: log.info(object, message) prints one JSON line with time, hostname, pid, level, name, the object's fields
// and "message". The usage is groq-sdk 1.6.0's CompletionUsage (prompt_tokens, completion_tokens, total_tokens and
// queue_time, prompt_time, completion_time, total_time in seconds).
import bole from "bole";

bole.output({ level: "info", stream: process.stdout });
const log = bole("groq-client");
log.info("connected to api.groq.com");
// groq.chat.completions.create({ model: "llama-3.3-70b-versatile", ... }) => completion.model, completion.usage
log.info({
  provider: "groq",
  model: "llama-3.3-70b-versatile",
  usage: { queue_time: 0.017203, prompt_tokens: 233, prompt_time: 0.019145, completion_tokens: 118, completion_time: 0.429091, total_tokens: 351, total_time: 0.448236 },
  x_groq: { id: "req_01jx8f1m2n3p4q5r6s7t8v9w0x" },
}, "token_usage");
log.error(new Error("relation \"token_usage\" does not exist"), "token_usage insert failed");
