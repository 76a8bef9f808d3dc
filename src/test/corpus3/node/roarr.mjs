// Roarr 7 (ROARR_LOG=true): log.info(context, message) prints {"context":…,"message":…,"sequence":…,"time":…,"version":"2.0.0"}.
// The usage is Cohere's v2 chat response usage as the cohere-ai 8.1.0 SDK hands it back (camelCase:
// usage.billedUnits.{inputTokens,outputTokens}, usage.tokens.{inputTokens,outputTokens}, usage.cachedTokens).
import { Roarr as log } from "roarr";

const llm = log.child({ package: "rag-worker", namespace: "llm" });
llm.info("worker started");
// cohere.v2.chat({ model: "command-r-plus-08-2024", ... }) => response.usage
llm.info({
  provider: "cohere",
  model: "command-r-plus-08-2024",
  finishReason: "COMPLETE",
  usage: { billedUnits: { inputTokens: 412, outputTokens: 96 }, tokens: { inputTokens: 1478, outputTokens: 96 }, cachedTokens: 0 },
}, "token_usage");
llm.warn({ table: "token_usage", rows: 0 }, "token_usage table is empty, backfill pending");
