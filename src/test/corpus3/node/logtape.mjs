// LogTape 2 with its JSON Lines formatter on a stream sink: logger.info(message, properties) prints
// {"@timestamp":…,"level":"INFO","message":…,"logger":…,"properties":{…}}.
// The usage is @google/genai 2.32.0's GenerateContentResponseUsageMetadata (promptTokenCount includes
// cachedContentTokenCount; toolUsePromptTokenCount and thoughtsTokenCount are counted apart, and totalTokenCount is
// the sum of prompt, candidates, tool-use prompt and thoughts).
import { configure, getLogger, getStreamSink, jsonLinesFormatter } from "@logtape/logtape";
import { Writable } from "node:stream";

await configure({
  sinks: { out: getStreamSink(Writable.toWeb(process.stdout), { formatter: jsonLinesFormatter }) },
  loggers: [{ category: ["app"], lowestLevel: "info", sinks: ["out"] }, { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["out"] }],
});
const log = getLogger(["app", "gemini"]);
log.info("gemini client ready");
// ai.models.generateContent({ model: "gemini-2.5-pro", config: { tools: [...] } }) => response.usageMetadata, response.modelVersion
log.info("token_usage", {
  provider: "google",
  modelVersion: "gemini-2.5-pro",
  usageMetadata: {
    promptTokenCount: 900, cachedContentTokenCount: 512, toolUsePromptTokenCount: 120, candidatesTokenCount: 200,
    thoughtsTokenCount: 150, totalTokenCount: 1370,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 900 }],
  },
});
log.error("could not write token_usage row: {error}", { error: "connection refused" });
await new Promise((r) => setTimeout(r, 100));
