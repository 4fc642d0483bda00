<?php
// The gateway's signature, computed by real PHP over many JSON bodies in one process.
//
// Usage: php -d precision=14 -d error_reporting=0 -d display_errors=stderr sign-batch.php CASES
//
// CASES holds one case a line: base64(key) TAB base64(raw JSON body). For each line, in order,
// this prints one line:
//   OK TAB <sha1 hex> TAB base64(signing string)      the body decoded to a PHP array
//   ERR TAB base64(json_last_error_msg())              json_decode($body, true) failed (null)
//   NOTARRAY TAB <gettype>                             it decoded to a scalar
//
// The signature is the seed's exact code (seed 002, "Формирование подписи"), applied to what
// json_decode($body, true) gives, after removing `sign` as the gateway does before checking
// a request's signature (the SDK's sign()/signJson() ignore a `sign` key the same way):
//
//   ksort($data, SORT_STRING);
//   $sign = sha1(implode(':', array_values($data)) . ':' . 'YOUR_API_KEY');
//
// `precision` must be 14 (PHP's default) since (string)$float uses it; the nested-array
// "Array to string conversion" warning is silenced so stdout only holds results.

if ($argc < 2) {
    fwrite(STDERR, "usage: php sign-batch.php CASES\n");
    exit(2);
}
if ((int) ini_get('precision') !== 14) {
    fwrite(STDERR, "sign-batch.php: run with -d precision=14 (got " . ini_get('precision') . ")\n");
    exit(2);
}
$in = fopen($argv[1], 'rb');
if ($in === false) {
    fwrite(STDERR, "sign-batch.php: cannot read {$argv[1]}\n");
    exit(2);
}
$out = [];
while (($line = fgets($in)) !== false) {
    $line = rtrim($line, "\r\n");
    if ($line === '') {
        continue;
    }
    [$key64, $body64] = explode("\t", $line, 2);
    $key = base64_decode($key64, true);
    $body = base64_decode($body64, true);

    $data = json_decode($body, true);
    if ($data === null && json_last_error() !== JSON_ERROR_NONE) {
        $out[] = "ERR\t" . base64_encode(json_last_error_msg());
        continue;
    }
    if (!is_array($data)) {
        $out[] = "NOTARRAY\t" . gettype($data);
        continue;
    }
    unset($data['sign']);

    // --- the seed's code, verbatim but for the key variable ---
    ksort($data, SORT_STRING);
    $sign = @sha1(implode(':', array_values($data)) . ':' . $key);
    // --- end of the seed's code ---

    $string = @(implode(':', array_values($data)) . ':' . $key); // for diagnosing mismatches
    $out[] = "OK\t" . $sign . "\t" . base64_encode($string);
    if (count($out) >= 4096) {
        echo implode("\n", $out), "\n";
        $out = [];
    }
}
if ($out) {
    echo implode("\n", $out), "\n";
}
