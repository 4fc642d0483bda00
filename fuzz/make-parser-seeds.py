#!/usr/bin/env python3
"""Writes fuzz/corpus-seed-parsers/: a few real inputs per parser of the `parsers` target,
each prefixed with its selector byte (the index in parsers::Parser::ALL) and, where the
parser takes one, an options byte. Run from the repository root."""
import json, os, struct, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus-seed-parsers"
out.mkdir(exist_ok=True)
for f in out.iterdir():
    f.unlink()

P = dict(route=0, params=1, lang=2, answer=3, html=4, decimal=5, bidcb=6, merchant=7,
         base64=8, retry=9, sanitize=10, amount=11, wire=12, excerpt=13)
METHODS = ["test", "get_direction_currencies", "get_directions", "get_direction", "get_calc",
           "get_exchanges", "create_bid", "cancel_bid", "pay_bid", "success_bid", "bid_info",
           "get_partner_info", "get_partner_links", "get_partner_exchanges",
           "get_partner_payouts", "add_partner_payout"]

def seed(name, parser, body, options=None):
    data = bytes([P[parser]]) + (bytes([options]) if options is not None else b"")
    data += body if isinstance(body, bytes) else body.encode()
    (out / f"{parser}-{name}").write_bytes(data)

# Proxy head: method, url, host, origin, content-length, allowed origin, XFF, client IP.
seed("call", "route", "POST\nhttps://shop.example/api/exchange/get_calc\nshop.example\nhttps://shop.example\n120\nhttps://partner.example\n10.0.0.1, 203.0.113.9\n2001:db8::1", 1)
seed("preflight", "route", "OPTIONS\n/api/exchange/create_bid?x=1\nshop.example\nhttps://partner.example\n\nhttps://partner.example", 0)
seed("cross", "route", "POST\nhttp://localhost:3000/x/bid_info/\nshop.example:443\nHTTPS://Partner.Example:443/\n99999999\n*\n::ffff:1.2.3.4", 0)
seed("creds", "route", "GET\n/x/get_exchanges\n\nnull", 2)
seed("json", "params", '{"direction_id":"6","amount":"1.5","api_id":"0123456789abcdef0123","cd":{"a":"b"},"callback_url":"x","partner_id":"p"}', 6)
seed("form", "params", "hash=abc&id=5&amount=1%2C5&calc_action=1&x=%zz&+=+", 16 + 10)
seed("text", "params", "hash=1", 32 + 7)
seed("calc", "params", '{"direction_id":6,"calc_amount":10.5,"calc_action":1,"cd":[1]}', 4)
seed("plain", "lang", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")
seed("q", "lang", "de, en;q=0.5, RU_ru;q=.6, en;q=1.000000001, ru;q=")
for fixture in sorted((root / "src/exchanger/fixtures").iterdir()):
    stem = fixture.stem
    method = next((m for m in sorted(METHODS, key=len, reverse=True) if stem.startswith(m)), "test")
    seed(stem, "answer", fixture.read_bytes(), METHODS.index(method))
seed("notice", "answer", '<br />\n<b>Notice</b>: x on line 3<br />\n{"error":"0","error_text":"","data":"payed"}\nWarning', METHODS.index("pay_bid"))
seed("cut", "answer", '{"error":0,"data":{"id":"1","hash":"a', METHODS.index("bid_info"))
seed("fields", "answer", '{"error":3,"error_text":"K3ySecretZq9 &amp; <b>x</b>","error_fields":{"account2":"<span>Bad &#1071; K3ySecretZq9</span>","l0ginSecretW7":"y"}}', METHODS.index("create_bid"))
seed("tags", "html", '<span class="err">Неверный <b>номер</b></span>&nbsp;&#x42;&#65;&amp;<img src=x onerror="a">\t\n<br />x')
seed("lt", "html", "1 < 2 && 3 > 2 &bogus; <a <a <b")
for v in [1e-8, 0.1 + 0.2, 1234567.12345678, -2.5e-3, 1e21, 5e-324, 1.7976931348623157e308]:
    seed(repr(v), "decimal", struct.pack("<d", v))
seed("text", "decimal", "0.00000001")
seed("form", "bidcb", "bid_id=1024&status=payed")
seed("json", "bidcb", '{"bid_id":1024,"status":"success"}')
seed("bad", "bidcb", "bid_id=0&status=Payed&bid_id=%31")
seed("ok", "merchant", '{"result":{"balance":[]},"error":0}', 0)
seed("error", "merchant", '{"error":"5","info":"bad sign for shop K3ySecretZq9"}', 0)
seed("warning", "merchant", '<br />\n<b>Warning</b>:  Array to string conversion in /x.php on line <b>4</b><br />\n{"type":"pdf","data":"JVBERi0xLjQK"}', 0)
seed("status", "merchant", "<html>502 l0ginSecretW7</html>", 2)
seed("text", "base64", "JVBERi0xLjQK\r\nQQ==")
seed("bytes", "base64", bytes(range(0, 256, 7)))
seed("secs", "retry", "120")
seed("date", "retry", "Sun, 06 Nov 1994 08:49:37 GMT")
seed("huge", "retry", "99999999999999999999999")
seed("links", "sanitize", '<p>Pay <a href="https://x.example/?a=1&amp;b=2" onclick="x">here</a><br/><script>alert(1)</script><a href="jav&#x09;ascript:alert(1)">y</a><!-- c --></p><b><i>x</b>')
seed("attrs", "sanitize", "<svg><a href='mailto:a@b'>m</a></svg><div title=\"x\" >&amp; &bogus; ' \" <3 </div></span><ul><li>a<li>b</ul>")
seed("grouped", "amount", "1 234,50|1,234.5")
seed("marks", "amount", "0.00000001|1.234.567")
seed("junk", "amount", "12e3|,5")
seed("bid", "wire", '{"data":{"url":"u","id":"1","hash":"h","status":"new","status_title":"","psys_give":"","psys_get":"","currency_code_give":"BTC","currency_code_get":"RUB","amount_give":"1","amount_get":"2","api_actions":{"type":"address","cancel":"api","pay":"api","pay_amount":"1","instruction":""},"course_give":null}}', 4)
seed("error", "wire", '{"error":{"kind":"validation","code":3,"message":"See fields.","fields":{"account2":"Bad card"}}}', 0x20)
seed("string", "wire", '{"data":"payed"}', 0)
seed("calc", "wire", json.dumps({"data": json.loads((root / "src/exchanger/fixtures/get_calc.json").read_text()).get("data")}), 3)
seed("masked", "excerpt", "answer with K3ySecretZq9 and a cut l0ginSec\x01K3ySecretZq9\x01l0ginSecretW7")
print(f"{len(list(out.iterdir()))} seeds in {out.relative_to(root)}")
