// logrus 1.9 (Debian golang-github-sirupsen-logrus-dev): the JSONFormatter line with WithFields, then the
// TextFormatter (logfmt-like, keys sorted, RFC 3339 time) line. The JSON event carries the usage of the Anthropic Go
// SDK's Message.Usage (input_tokens excludes cache_creation_input_tokens and cache_read_input_tokens).
package main

import (
	"errors"
	"os"

	"github.com/sirupsen/logrus"
)

type usage struct {
	InputTokens              int `json:"input_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens"`
	OutputTokens             int `json:"output_tokens"`
}

func main() {
	j := logrus.New()
	j.SetOutput(os.Stdout)
	j.SetFormatter(&logrus.JSONFormatter{})
	j.Info("worker ready")
	j.WithFields(logrus.Fields{
		"provider": "anthropic",
		"model":    "claude-sonnet-4-5-20250929",
		"usage":    usage{InputTokens: 31, CacheCreationInputTokens: 2048, CacheReadInputTokens: 0, OutputTokens: 412},
	}).Info("token_usage")
	j.WithError(errors.New(`pq: relation "token_usage" does not exist`)).Error("token_usage insert failed")

	t := logrus.New()
	t.SetOutput(os.Stdout)
	t.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
	t.WithFields(logrus.Fields{
		"provider": "openai", "model": "gpt-4.1-nano", "prompt_tokens": 64, "completion_tokens": 9, "total_tokens": 73,
		"cost_usd": 0.0000100,
	}).Info("token_usage")
	t.Warn("token_usage backlog above 1000 rows")
}
