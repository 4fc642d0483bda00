<?php
// The PHP reference for tests/fuzz_regressions.rs: reads records "<length>\n<bytes>" from
// stdin and prints one line for each: "<dump> <sign> <receiver>", where
//   dump     = E if json_decode($raw, true) fails, else the decoded value in a typed, hex form
//   sign     = the gateway's signature of the decoded array with the key in argv[1], else -
//   receiver = what the seed's documented IPN receiver does with the body: OK (sign right),
//              IGN (version < 2: ignored), BAD (sign wrong) or ERR (PHP threw)
error_reporting(E_ALL & ~E_WARNING & ~E_NOTICE & ~E_DEPRECATED);
ini_set('display_errors', 'stderr');
$key = $argv[1];

function dump($v): string {
    if ($v === null) return 'N';
    if ($v === true) return 'T';
    if ($v === false) return 'F';
    if (is_int($v)) return 'i' . $v . ';';
    if (is_float($v)) return 'd' . bin2hex(pack('E', $v)) . ';';
    if (is_string($v)) return 's' . bin2hex($v) . ';';
    $out = 'a' . count($v) . '{';
    foreach ($v as $k => $x) $out .= bin2hex((string) $k) . '=' . dump($x);
    return $out . '}';
}

function gateway_sign(array $data, string $key): string {
    unset($data['sign']);
    ksort($data, SORT_STRING);
    return sha1(implode(':', array_values($data)) . ':' . $key);
}

// The seed's "Пример кода обработчика на PHP", verbatim but for returning instead of exiting.
function receiver(string $raw, string $key): string {
    try {
        $data = @json_decode($raw, true);
        if ($data['mychanger.icu'] < 2)
            return 'IGN';
        $sign0 = $data['sign'];
        unset($data['sign']);
        ksort($data, SORT_STRING);
        $sign = sha1(implode(':', array_values($data)) . ':' . $key);
        if ($sign !== $sign0)
            return 'BAD';
        return 'OK';
    } catch (\Throwable $e) {
        return 'ERR';
    }
}

$in = fopen('php://stdin', 'rb');
while (($line = fgets($in)) !== false) {
    $n = (int) $line;
    $raw = '';
    while (strlen($raw) < $n && !feof($in)) $raw .= fread($in, $n - strlen($raw));
    $v = json_decode($raw, true);
    if (json_last_error() !== JSON_ERROR_NONE) {
        $d = 'E';
        $s = '-';
    } else {
        $d = dump($v);
        $s = is_array($v) ? gateway_sign($v, $key) : '-';
    }
    echo $d, ' ', $s, ' ', receiver($raw, $key), "\n";
}
