<?php
// The api2 gateway as its PHP checks a request (seed 002), for `php -S 127.0.0.1:<port> router.php`:
// decode what arrives (JSON body, else form POST, else GET, as the seed says all three work),
// verify the signature with the seed's own code (ksort SORT_STRING, implode ':', ':' . key,
// sha1), and answer each endpoint as the seed's examples do. Every request is appended to
// $GATEWAY_LOG as one JSON line: the endpoint, what PHP decoded, and whether the sign held.

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (!preg_match('#^/api2/(.+?)/*$#', $path, $m)) {
    http_response_code(404);
    exit;
}
$endpoint = $m[1];
$raw = file_get_contents('php://input');
$data = json_decode($raw, true);
if (!is_array($data)) {
    $data = $_POST ?: $_GET;
}
header('Content-Type: application/json');

function answer($value) {
    echo json_encode($value);
    exit;
}

// echo is not signed: it shows what arrived and, given a `key`, what it would sign.
if ($endpoint === 'echo') {
    $payload = $data;
    $out = ['payload' => $payload];
    if (isset($data['key'])) {
        $key = $data['key'];
        unset($data['key']);
        ksort($data, SORT_STRING);
        $out['tosign'] = implode(':', array_values($data)) . ':' . $key;
        $out['sign'] = sha1($out['tosign']);
    }
    log_request($endpoint, $payload, true);
    answer($out);
}

if (!is_array($data) || !$data) {
    log_request($endpoint, $data, false);
    answer(['error' => 'data_wrong']);
}

// The seed's verification.
$sign0 = $data['sign'] ?? null;
$checked = $data;
unset($checked['sign']);
ksort($checked, SORT_STRING);
$sign = sha1(implode(':', array_values($checked)) . ':' . getenv('GATEWAY_API_KEY'));
$ok = $sign === $sign0;
log_request($endpoint, $data, $ok);
if (!$ok) {
    answer(['error' => 'sign_wrong', 'info' => 'Подпись не прошла проверку']);
}

function log_request($endpoint, $data, $ok) {
    $line = json_encode(['endpoint' => $endpoint, 'data' => $data, 'signOk' => $ok]);
    file_put_contents(getenv('GATEWAY_LOG'), $line . "\n", FILE_APPEND | LOCK_EX);
}

// A 2x1 greyscale PNG, built here so the client's base64 decoding is checked against PHP's.
function png() {
    $chunk = function ($type, $body) {
        return pack('N', strlen($body)) . $type . $body . pack('N', crc32($type . $body));
    };
    return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', 2, 1, 8, 0, 0, 0, 0))
        . $chunk('IDAT', gzcompress("\x00\x20\xff")) . $chunk('IEND', '');
}

$status = [
    'type' => 'payment', 'id' => (int)($data['id'] ?? 1033039), 'currID' => 39, 'curr' => 'RUB',
    'amount' => '153.00', 'label' => '212112', 'memo' => '', 'status' => 0, 'statusText' => 'Pending', 'info' => '',
];
switch ($endpoint) {
    case 'payment':
        answer([
            'id' => 670057, 'currID' => $data['currID'], 'curr' => 'RUB', 'amount' => 1500.00,
            'number' => '1111222211112222', 'info' => 'FEDOR M',
            'page' => 'https://traderua.com/?card&id=670057&secret=318300158a1f6c16e370c4cbeee1234dd3b560',
            'card' => '1111222211112222', 'fio' => 'FEDOR M',
        ]);
    case 'withdraw':
        answer(['result' => [
            'id' => 531636, 'currID' => 8, 'curr' => 'RUB', 'amount' => 600.00, 'number' => '+79063711045', 'info' => 'QIWIBANK',
        ]]);
    case 'withdraw/check':
        answer(['result' => ['data' => base64_encode(png()), 'type' => 'png', 'sha1' => sha1(png())]]);
    case 'acquire':
        answer(['id' => 670057, 'currID' => 6, 'curr' => 'RUB', 'amount' => 1500.00, 'code_required' => true]);
    case 'acquire/confirm':
    case 'acquire/resend':
    case 'status':
        answer(['result' => $status]);
    case 'balance':
        answer(['result' => [6 => '1610.00', 7 => '460.00', 8 => '654.46']]);
    case 'balance_all':
        answer(['result' => ['RUB' => 314021]]);
    case 'withdraw/limit':
        answer(['result' => ['daily' => [6 => '6000000.00', 7 => '2000000.00'], 'value' => [6 => '7337.00', 7 => '232733.00']]]);
    case 'dispute':
        answer(['result' => 5237]);
    case 'dispute/status':
        answer(['result' => [
            'id' => 5237, 'amount' => '200.00', 'comment' => '', 'currID' => 6, 'curr' => 'RUB', 'status' => 6,
            'statusText' => 'Correcting', 'operationID' => 14736918, 'operationAmount' => '100.00',
            'operationLabel' => 'vasya', 'operationStatus' => 4,
        ]]);
}
http_response_code(404);
