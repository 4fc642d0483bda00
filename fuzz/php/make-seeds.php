<?php
// Writes fuzz/corpus-seed/: callback bodies signed the way the gateway signs them (PHP 8:
// json_decode, unset sign, ksort SORT_STRING, implode ':', append ':' . key, sha1) with the
// fuzz test secret, plus malformed ones. Run from the repo root:  php fuzz/php/make-seeds.php
// Files named ok-* must verify; tests/fuzz_regressions.rs checks that they do.
error_reporting(E_ALL & ~E_WARNING);
const SECRET = 'fuzz-Secret-0bmenn1k-7Qx2';
$dir = __DIR__ . '/../corpus-seed';

function gateway_sign(string $json): string {
    $data = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
    unset($data['sign']);
    ksort($data, SORT_STRING);
    return sha1(implode(':', array_values($data)) . ':' . SECRET);
}
// Appends "sign" as the last member, as the gateway's own json_encode would place it.
function signed(string $json): string {
    $close = strrpos($json, '}');
    return substr($json, 0, $close) . ',"sign":"' . gateway_sign($json) . '"' . substr($json, $close);
}

$dispute = '{"mychanger.icu":"2.3","timeStamp":1720206230,"shopID":522,"type":"dispute","id":5237,"amount":"200.00","comment":"","currID":6,"curr":"RUB","status":1,"statusText":"Waiting","operationID":14736918,"operationAmount":"100.00","operationLabel":"vasya","operationStatus":4}';
$payment = ['mychanger.icu' => '2.3', 'timeStamp' => 1720206230, 'shopID' => 522, 'type' => 'payment',
    'id' => 1033039, 'currID' => 39, 'curr' => 'RUB', 'amount' => '153.00', 'label' => '212112',
    'memo' => '', 'status' => 0, 'statusText' => 'Pending', 'info' => ''];
$approved = array_merge($payment, ['status' => 3, 'statusText' => 'Approved', 'memo' => 'Пополнение средств', 'label' => '123133-44465451']);
$withdraw = ['mychanger.icu' => '2.3', 'timeStamp' => 1720206999, 'shopID' => 522, 'type' => 'withdraw',
    'id' => 88120, 'currID' => 6, 'curr' => 'RUB', 'amount' => 500.51, 'label' => '123133-44465451',
    'memo' => 'Отправка средств', 'status' => 5, 'statusText' => 'Canceled', 'info' => 'Сидоров Джон'];

$seeds = [
    'ok-dispute.json' => signed($dispute),
    'ok-payment-pending.json' => signed(json_encode($payment)),
    // json_encode's defaults: \uXXXX escapes and escaped slashes.
    'ok-payment-approved-escaped.json' => signed(json_encode($approved + ['statusURL' => 'https://shop.example/ipn'])),
    'ok-withdraw-canceled-utf8.json' => signed(json_encode($withdraw, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)),
    'ok-withdraw-expired-numbers.json' => signed('{"mychanger.icu":2,"type":"withdraw","id":9223372036854775807,"big":9223372036854775808,"neg":-9223372036854775808,"amount":1e15,"fee":0.1,"tiny":0.00001,"z":-0.0,"e":1E+2,"f":1.0,"inf":1e400,"status":4,"statusText":"Expired","ok":true,"no":false,"nil":null}'),
    'ok-version-float.json' => signed('{"mychanger.icu":2.5,"type":"payment","id":"1033040","status":3,"amount":"0.30000000000000004"}'),
    'ok-nested.json' => signed('{"mychanger.icu":"2.3","type":"payment","userInfo":{"ip":"192.168.0.1","email":"a@b.c"},"list":[1,[2,[3]],{"x":null}],"empty":{},"none":[],"status":0}'),
    'ok-keys-bytewise.json' => signed('{"mychanger.icu":"3","b":1,"10":"ten","2":"two","B":true,"a":null,"é":false,"":"empty key","\u0000nul":"x","n":{"z":1}}'),
    'ok-duplicate-keys.json' => signed('{"mychanger.icu":"1.0","amount":"1.00","mychanger.icu":"2.3","amount":"2.00","status":3}'),
    'ok-surrogate-pair.json' => signed('{"mychanger.icu":" 2.3 ","memo":"\ud83d\ude00 \u00e9 \/ \" \\\\ \b\f\n\r\t","status":1}'),
    'ok-deep-nesting.json' => signed('{"mychanger.icu":"2.3","deep":' . str_repeat('[', 510) . '1' . str_repeat(']', 510) . '}'),
];
$pretty = json_encode(json_decode($seeds['ok-dispute.json'], true), JSON_PRETTY_PRINT);
$seeds['ok-dispute-pretty.json'] = $pretty;
$seeds['ok-sign-first.json'] = '{"sign":"' . gateway_sign($dispute) . '",' . substr($dispute, 1);

$good = $seeds['ok-dispute.json'];
$seeds += [
    'bad-sign-tampered.json' => str_replace('"200.00"', '"900.00"', $good),
    'bad-sign-uppercase.json' => preg_replace_callback('/"sign":"([0-9a-f]+)"/', fn ($m) => '"sign":"' . strtoupper($m[1]) . '"', $good),
    'bad-sign-number.json' => '{"mychanger.icu":"2.3","status":1,"sign":1234}',
    'bad-sign-missing.json' => $dispute,
    'bad-sign-empty.json' => substr($dispute, 0, -1) . ',"sign":""}',
    'bad-sign-null.json' => substr($dispute, 0, -1) . ',"sign":null}',
    'bad-version-old.json' => signed(str_replace('"2.3"', '"1.9"', $dispute)),
    'bad-version-text.json' => signed(str_replace('"2.3"', '"2.3abc"', $dispute)),
    'bad-version-inf-string.json' => signed(str_replace('"2.3"', '"1e999"', $dispute)),
    'bad-version-missing.json' => signed(str_replace('"mychanger.icu"', '"other.host"', $dispute)),
    'bad-version-array.json' => signed(str_replace('"2.3"', '[3]', $dispute)),
    'bad-list.json' => '[{"mychanger.icu":"2.3"}]',
    'bad-string.json' => '"mychanger.icu"',
    'bad-lone-surrogate.json' => '{"mychanger.icu":"2.3","memo":"\ud800","sign":"x"}',
    'bad-low-surrogate.json' => '{"mychanger.icu":"2.3","memo":"\udc00\ud800","sign":"x"}',
    // PHP's depth 512 counts the innermost scalar: 511 arrays or objects at most.
    'bad-depth-512.json' => '{"mychanger.icu":"2.3","deep":' . str_repeat('[', 511) . str_repeat(']', 511) . '}',
    'bad-too-deep.json' => '{"mychanger.icu":"2.3","deep":' . str_repeat('[', 512) . str_repeat(']', 512) . '}',
    'bad-truncated.json' => substr($good, 0, 100),
    'bad-trailing-comma.json' => substr($dispute, 0, -1) . ',}',
    'bad-trailing-text.json' => $good . ' x',
    'bad-bom.json' => "\xEF\xBB\xBF" . $good,
    'bad-invalid-utf8.json' => str_replace('vasya', "va\xC3sya", $good),
    'bad-control-char.json' => str_replace('vasya', "va\x01sya", $good),
    'bad-leading-zero.json' => str_replace('5237', '05237', $good),
    'bad-empty.json' => '',
];

foreach ($seeds as $name => $body) {
    file_put_contents("$dir/$name", $body);
}
echo count($seeds), " seeds written\n";
