# Elixir 1.14 Logger (Debian elixir), console backend, as a Phoenix app logs LLM usage.
# Run twice: default format (time without a date) and a format with $date and metadata.
require Logger
[mode] = System.argv()
case mode do
  "default" -> :ok
  "dated" ->
    Logger.configure_backend(:console, format: "$date $time [$level] $metadata$message\n",
      metadata: [:model, :provider, :prompt_tokens, :completion_tokens, :total_tokens], utc_log: true)
end
# Semantic Kernel / Microsoft.Extensions.AI UsageDetails, as a .NET service returned it to us in JSON
usage_json = ~s({"InputTokenCount":1834,"OutputTokenCount":262,"TotalTokenCount":2096,"AdditionalCounts":{"InputTokenDetails.CachedTokenCount":1024}})
Logger.info("token_usage model=gpt-4.1-mini provider=azure_openai usage=" <> usage_json)
Logger.error("Postgrex.Error: ERROR 42501 (insufficient_privilege) permission denied for table token_usage")
Logger.info("token_usage", model: "gemini-2.0-flash-001", provider: "google", prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020)
Logger.flush()
