// tslog 5 in JSON mode: logger.info(message, object) prints the arguments as "0", "1", ... and a _meta object.
// The usage is the Vercel AI SDK v5 result (ai@5.0.x LanguageModelUsage: inputTokens, outputTokens, totalTokens,
// reasoningTokens, cachedInputTokens) with result.response.modelId, as a route handler would log it.
import { Logger } from "tslog";

const log = new Logger({ name: "chat-route", type: "json" });

log.info("server listening on :3000");
// generateText({ model: openai("gpt-5-mini"), ... }) => result.usage, result.response, result.providerMetadata
log.info("token_usage", {
  provider: "openai",
  model: "gpt-5-mini",
  response: { id: "resp_68c1f0a2b3", modelId: "gpt-5-mini-2025-08-07", timestamp: new Date() },
  usage: { inputTokens: 1200, outputTokens: 340, totalTokens: 1540, reasoningTokens: 192, cachedInputTokens: 1024 },
  userId: "3f0e2a8c-5b7d-4e91-a2c4-6d8f0b1e3a57",
});
// streamText on v4 (ai@4.3.x): usage { promptTokens, completionTokens, totalTokens }
log.info("token_usage", {
  provider: "anthropic",
  model: "claude-3-5-haiku-20241022",
  usage: { promptTokens: 611, completionTokens: 87, totalTokens: 698 },
  finishReason: "stop",
});
log.error("insert into token_usage failed", { code: "23505", detail: "Key (id) already exists" });
