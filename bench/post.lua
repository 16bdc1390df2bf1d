-- wrk script of bench/run.sh: every request is one Send API text send (a RESPONSE inside the
-- standard messaging window) to the person whose page-scoped id is in BENCH_PSID.
-- The Page access token travels in the URL's query, as the Graph SDKs send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format(
    '{"recipient":{"id":"%s"},"messaging_type":"RESPONSE","message":{"text":"Your order #1234 has shipped and will arrive on Thursday."}}',
    os.getenv("BENCH_PSID") or "0")
