// log/slog as it first shipped in golang.org/x/exp/slog (Debian golang-golang-x-exp-dev; Debian's Go 1.19 has no
// log/slog): the JSON handler nests a Group as an object, the text handler writes it as dotted keys.
// JSON event: an Amazon Nova InvokeModel response body's usage (inputTokens, outputTokens, totalTokens).
// Text event: Fireworks AI's chat completion usage (OpenAI-compatible).
package main

import (
	"errors"
	"os"

	"golang.org/x/exp/slog"
)

func main() {
	j := slog.New(slog.NewJSONHandler(os.Stdout))
	j.Info("nova client ready")
	j.Info("token_usage", slog.String("provider", "bedrock"), slog.String("modelId", "amazon.nova-pro-v1:0"),
		slog.Group("usage", slog.Int("inputTokens", 1843), slog.Int("outputTokens", 261), slog.Int("totalTokens", 2104),
			slog.Int("cacheReadInputTokenCount", 0), slog.Int("cacheWriteInputTokenCount", 0)))
	j.Error("token_usage write failed", errors.New("EOF"))

	t := slog.New(slog.NewTextHandler(os.Stdout))
	t.Info("token_usage", slog.String("provider", "fireworks"),
		slog.String("model", "accounts/fireworks/models/llama-v3p1-8b-instruct"),
		slog.Group("usage", slog.Int("prompt_tokens", 19), slog.Int("completion_tokens", 46), slog.Int("total_tokens", 65)))
	t.Info("retrying token_usage insert", slog.Int("attempt", 2))
}
