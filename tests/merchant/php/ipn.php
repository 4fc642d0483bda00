<?php
// Sends one IPN callback the way the gateway does (seed 002): the fields with the version field
// named after the gateway's host, signed with the merchant's secret key by the seed's code
// (ksort SORT_STRING, implode ':', ':' . secret, sha1), POSTed as JSON.
//   php ipn.php <url> <secret> <host> <kind: payment|dispute> <mode: ok|unescaped|tampered|old|unsigned>
// Prints the receiver's HTTP status, a space, and its answer.

[, $url, $secret, $host, $kind, $mode] = $argv;
$data = $kind === 'dispute'
    ? [$host => '2.3', 'timeStamp' => time(), 'shopID' => 522, 'type' => 'dispute', 'id' => 5237, 'amount' => '200.00',
       'comment' => '', 'currID' => 6, 'curr' => 'RUB', 'status' => 1, 'statusText' => 'Waiting', 'operationID' => 14736918,
       'operationAmount' => '100.00', 'operationLabel' => 'vasya', 'operationStatus' => 4]
    : [$host => '2.3', 'timeStamp' => time(), 'shopID' => 522, 'type' => 'payment', 'id' => 1033039, 'currID' => 39,
       'curr' => 'RUB', 'amount' => '153.00', 'label' => '212112', 'memo' => 'Пополнение / тест', 'status' => 3,
       'statusText' => 'Approved', 'info' => '', 'rate' => 0.1 + 0.2];
if ($mode === 'old') {
    $data[$host] = '1.9';
}
$signed = $data;
ksort($signed, SORT_STRING);
if ($mode !== 'unsigned') {
    $data['sign'] = sha1(implode(':', array_values($signed)) . ':' . $secret);
}
if ($mode === 'tampered') {
    $data['amount'] = '1530.00';
}
$body = $mode === 'unescaped' ? json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) : json_encode($data);
$context = stream_context_create(['http' => [
    'method' => 'POST', 'header' => "Content-Type: application/json\r\n", 'content' => $body,
    'ignore_errors' => true, 'timeout' => 5,
]]);
$response = file_get_contents($url, false, $context);
preg_match('#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m);
echo ($m[1] ?? '0') . ' ' . $response;
