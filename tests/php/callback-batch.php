<?php
// Gateway IPN callbacks in real PHP, many per process.
//
// Usage: php -d precision=14 -d serialize_precision=-1 -d error_reporting=0 \
//            -d display_errors=stderr callback-batch.php MODE CASES
//
// MODE sign — what the gateway does before POSTing a callback. CASES: one line a case,
//   base64(secret) TAB base64(body without sign). Output, one line a case:
//     OK TAB <sign> TAB base64(re-encoded body with sign, or "" when json_encode fails)
//     ERR TAB base64(json_last_error_msg())
//   The sign is the seed's formula over json_decode($body, true); the re-encoded body is
//   json_encode of the same array with `sign` appended (unicode unescaped, floats kept floats).
//
// MODE receive — the seed's documented receiver ("IPN (Callbacks)", "Пример кода обработчика
//   на PHP"), verbatim but for three lines: the body comes from the batch instead of
//   php://input, and exit / die / echo become returns so the loop goes on. CASES: one line a
//   case, base64(secret) TAB base64(version field name) TAB base64(raw body). Output:
//     OK            the receiver prints "OK"
//     SIGN_WRONG    the receiver dies with "Sign wrong!"
//     IGNORED       the receiver exits silently (version < 2, or body not decodable)
//     THROW TAB <class>  PHP throws (HTTP 500: the callback is not processed)

if ($argc < 3 || !in_array($argv[1], ['sign', 'receive'], true)) {
    fwrite(STDERR, "usage: php callback-batch.php sign|receive CASES\n");
    exit(2);
}
if ((int) ini_get('precision') !== 14) {
    fwrite(STDERR, "callback-batch.php: run with -d precision=14\n");
    exit(2);
}

/** The seed's receiver. `$input` is php://input, `$secret` is 'ВАШ_API_SECRET'. */
function seed_receiver(string $input, string $secret, string $versionKey): string
{
    $data = @json_decode($input, true);                  // file_get_contents('php://input')
    if ($data[$versionKey] < 2)                          // $data['mychanger.icu'] < 2
        return 'IGNORED';                                // exit;
    $sign0 = $data['sign'];
    unset($data['sign']);
    ksort($data, SORT_STRING);
    $sign = sha1(implode(':', array_values($data)) . ':' . $secret);
    if ($sign !== $sign0)
        return 'SIGN_WRONG';                             // die('Sign wrong!');
    return 'OK';                                         // echo('OK');
}

/** The gateway side: sign the decoded body, then send it re-encoded with `sign`. */
function gateway_sign(string $body, string $secret): string
{
    $data = json_decode($body, true);
    if (!is_array($data)) {
        return "ERR\t" . base64_encode(json_last_error_msg());
    }
    unset($data['sign']);
    $toSign = $data;
    ksort($toSign, SORT_STRING);
    $sign = @sha1(implode(':', array_values($toSign)) . ':' . $secret);
    $data['sign'] = $sign;
    $encoded = json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
    return "OK\t" . $sign . "\t" . ($encoded === false ? '' : base64_encode($encoded));
}

$in = fopen($argv[2], 'rb');
if ($in === false) {
    fwrite(STDERR, "callback-batch.php: cannot read {$argv[2]}\n");
    exit(2);
}
$mode = $argv[1];
$out = [];
while (($line = fgets($in)) !== false) {
    $line = rtrim($line, "\r\n");
    if ($line === '') {
        continue;
    }
    $f = explode("\t", $line);
    $secret = base64_decode($f[0], true);
    if ($mode === 'sign') {
        $out[] = gateway_sign(base64_decode($f[1], true), $secret);
    } else {
        try {
            $out[] = seed_receiver(base64_decode($f[2], true), $secret, base64_decode($f[1], true));
        } catch (Throwable $e) {
            $out[] = "THROW\t" . get_class($e);
        }
    }
    if (count($out) >= 4096) {
        echo implode("\n", $out), "\n";
        $out = [];
    }
}
if ($out) {
    echo implode("\n", $out), "\n";
}
