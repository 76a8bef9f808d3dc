#!/usr/bin/perl
# Log::Log4perl (Debian liblog-log4perl-perl) with a PatternLayout, and Log::Dispatch (liblog-dispatch-perl)
# with a callback adding a time, as a Perl app logs LLM usage.
use strict; use warnings;
use Log::Log4perl;
use Log::Dispatch;
use JSON::PP;
my $out = shift;
my $json = JSON::PP->new->canonical(1);

Log::Log4perl->init(\ qq{
log4perl.rootLogger = INFO, F
log4perl.appender.F = Log::Log4perl::Appender::File
log4perl.appender.F.filename = $out/log4perl.log
log4perl.appender.F.mode = write
log4perl.appender.F.layout = Log::Log4perl::Layout::PatternLayout
log4perl.appender.F.layout.ConversionPattern = %d{ISO8601} %p [%c] %m%n
});
my $log = Log::Log4perl->get_logger('App::LLM');

# Replicate prediction (GET /v1/predictions/{id}) with its metrics
my $prediction = {
  id => 'gm3qorzdhgbfurvjtvhg6dckhu', model => 'meta/meta-llama-3-70b-instruct', status => 'succeeded',
  created_at => '2026-12-07T09:12:00.101Z', started_at => '2026-12-07T09:12:00.900Z', completed_at => '2026-12-07T09:12:03.412Z',
  metrics => { predict_time => 2.512, total_time => 3.311, input_token_count => 47, output_token_count => 212,
               tokens_per_second => 84.39, time_to_first_token => 0.291 },
};
$log->info('token_usage ' . $json->encode({ provider => 'replicate', model => $prediction->{model}, prediction => $prediction }));
$log->error('DBD::Pg::st execute failed: ERROR:  relation "token_usage" does not exist');
# LlamaIndex-style TokenCountingHandler counters, copied into a hash by hand
$log->info('token_usage ' . $json->encode({ model => 'gpt-4o-mini', prompt_llm_token_count => 512,
  completion_llm_token_count => 64, total_llm_token_count => 576, total_embedding_token_count => 1024 }));

my $d = Log::Dispatch->new(
  outputs => [[ 'File', min_level => 'info', filename => "$out/log-dispatch.log", mode => '>', newline => 1 ]],
  callbacks => sub { my %p = @_; my @t = gmtime(); sprintf('%04d-%02d-%02dT%02d:%02d:%02dZ [%s] %s', $t[5]+1900, $t[4]+1, @t[3,2,1,0], $p{level}, $p{message}) },
);
# Anthropic Message Batches results (.jsonl) line, one succeeded request
my $result = decode_json('{"custom_id":"my-second-request","result":{"type":"succeeded","message":{"id":"msg_014VwiXbi91y3JMjcpyGBHX5","type":"message","role":"assistant","model":"claude-3-5-sonnet-20240620","content":[{"type":"text","text":"Hello again!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":1500,"output_tokens":36}}}}');
$d->info('token_usage ' . $json->encode($result));
$d->warning('token_usage: 3 batch results errored, see batch msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d');
