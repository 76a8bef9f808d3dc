// hclog 0.11 (Debian golang-github-hashicorp-go-hclog-dev): JSONFormat writes "@timestamp", "@level", "@module",
// "@message" and the pairs; the default text format writes "time [LEVEL] module: message: key=value ...".
// JSON event: Azure OpenAI's chat completion usage (OpenAI's counts). Text event: Cohere's billed input and output
// tokens as the app names them.
package main

import (
	"os"

	"github.com/hashicorp/go-hclog"
)

func main() {
	j := hclog.New(&hclog.LoggerOptions{Name: "llm", Output: os.Stdout, JSONFormat: true, Level: hclog.Info})
	j.Info("plugin started")
	j.Info("token_usage", "provider", "azure", "model", "gpt-4o-2024-11-20", "prompt_tokens", 2201,
		"completion_tokens", 180, "total_tokens", 2381)
	j.Error("token_usage insert failed", "error", "deadlock detected")

	t := hclog.New(&hclog.LoggerOptions{Name: "llm", Output: os.Stdout, Level: hclog.Info})
	t.Info("token_usage", "provider", "cohere", "model", "command-a-03-2025", "input_tokens", 77, "output_tokens", 301)
	t.Info("shutting down")
}
