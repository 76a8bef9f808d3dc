// zap 1.23 (Debian golang-go.uber-zap-dev): the production JSON encoder (ts in epoch seconds, a float), with a usage
// struct of the app's own logged by reflection (Go's encoding/json, so exported PascalCase names), then the
// development console encoder (tab-separated, ISO-8601 time, the fields as one JSON object at the end).
// First event: xAI's chat completion usage (OpenAI-compatible counts). Second: Perplexity's usage (prompt_tokens,
// completion_tokens, total_tokens beside search_context_size and citation_tokens).
package main

import (
	"go.uber.org/zap"
)

type Usage struct {
	PromptTokens     int
	CompletionTokens int
	TotalTokens      int
}

func main() {
	prod, _ := zap.NewProduction()
	prod.Info("grok client ready")
	prod.Info("token_usage", zap.String("provider", "xai"), zap.String("model", "grok-3-mini"),
		zap.Any("usage", Usage{PromptTokens: 148, CompletionTokens: 403, TotalTokens: 551}))
	prod.Error("token_usage insert failed", zap.String("error", "context deadline exceeded"))
	prod.Sync()

	dev, _ := zap.NewDevelopment(zap.AddStacktrace(zap.FatalLevel))
	dev.Info("token_usage", zap.String("provider", "perplexity"), zap.String("model", "sonar-pro"),
		zap.Int("prompt_tokens", 9), zap.Int("completion_tokens", 315), zap.Int("total_tokens", 324),
		zap.String("search_context_size", "low"), zap.Int("citation_tokens", 0))
	dev.Info("flushed 0 token_usage rows")
	dev.Sync()
}
