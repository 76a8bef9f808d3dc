// signale 1.4 with date and timestamp shown: "[11/9/2025] [10:00:00 AM] › ℹ  info      token_usage {...}".
// The usage is OpenRouter's usage accounting as @openrouter/ai-sdk-provider 2.10.0 returns it in
// providerMetadata.openrouter.usage (promptTokens, completionTokens, totalTokens, cost in US dollars).
import signale from "signale";

const { Signale } = signale;
const log = new Signale({ config: { displayDate: true, displayTimestamp: true, displayBadge: false } });
log.info("router up");
log.info("token_usage " + JSON.stringify({ provider: "openrouter", model: "anthropic/claude-3.5-sonnet", usage: { promptTokens: 1046, promptTokensDetails: { cachedTokens: 0 }, completionTokens: 71, completionTokensDetails: { reasoningTokens: 0 }, totalTokens: 1117, cost: 0.004203, costDetails: { upstreamInferenceCost: 0.004203 } } }));
log.error("token_usage flush failed: timeout");
