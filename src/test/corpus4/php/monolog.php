<?php
// PHP Monolog (Debian php-monolog) as a PHP app would log LLM usage.
// File 1: JsonFormatter on a StreamHandler; File 2: the default LineFormatter.
require_once '/usr/share/php/Monolog/autoload.php';
use Monolog\Logger;
use Monolog\Handler\StreamHandler;
use Monolog\Formatter\JsonFormatter;
use Monolog\Formatter\LineFormatter;

$out = $argv[1];
$json = new StreamHandler("$out/monolog-json.log", Logger::INFO);
$json->setFormatter(new JsonFormatter());
$log = new Logger('llm', [$json]);

// OpenAI Realtime API "response.done" server event, usage as documented
// (input_token_details / output_token_details; cached tokens are inside input_tokens).
$responseDone = [
  'type' => 'response.done',
  'event_id' => 'event_3132',
  'response' => [
    'id' => 'resp_001', 'object' => 'realtime.response', 'status' => 'completed',
    'usage' => [
      'total_tokens' => 253, 'input_tokens' => 132, 'output_tokens' => 121,
      'input_token_details' => ['text_tokens' => 119, 'audio_tokens' => 13, 'cached_tokens' => 64,
        'cached_tokens_details' => ['text_tokens' => 64, 'audio_tokens' => 0]],
      'output_token_details' => ['text_tokens' => 30, 'audio_tokens' => 91],
    ],
  ],
];
$log->info('token_usage', ['provider' => 'openai', 'model' => 'gpt-4o-realtime-preview-2024-12-17',
  'user_id' => '7d4b0a6e-3c1f-4f7e-9a55-2b8d6f0c1e42', 'realtime_event' => $responseDone]);
$log->error('Failed to insert into token_usage: SQLSTATE[23505]: Unique violation', ['table' => 'token_usage']);

// OpenAI Batch API output file line, logged as it is read back.
$batchLine = json_decode('{"id":"batch_req_123","custom_id":"request-2","response":{"status_code":200,"request_id":"req_123","body":{"id":"chatcmpl-123","object":"chat.completion","created":1711652795,"model":"gpt-3.5-turbo-0125","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":22,"completion_tokens":2,"total_tokens":24},"system_fingerprint":"fp_123"}},"error":null}', true);
$log->info('token_usage', $batchLine);

$line = new StreamHandler("$out/monolog-line.log", Logger::INFO);
$line->setFormatter(new LineFormatter(null, null, false, true));
$log2 = new Logger('llm', [$line]);
// Mistral chat completion usage with prompt_audio_seconds (voxtral audio input)
$log2->info('token_usage', ['model' => 'voxtral-small-2507', 'provider' => 'mistral',
  'usage' => ['prompt_tokens' => 1460, 'completion_tokens' => 87, 'total_tokens' => 1547, 'prompt_audio_seconds' => 57]]);
$log2->warning('token_usage batch flush slow', ['rows' => 120, 'elapsed_ms' => 5400]);
$log2->info('token_usage', ['model' => 'mistral-large-2411',
  'usage' => ['prompt_tokens' => 35, 'completion_tokens' => 410, 'total_tokens' => 445, 'prompt_audio_seconds' => null]]);
