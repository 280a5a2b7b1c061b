"""Fixed vectors of Alipay's RSA2 rules, produced once with the OpenSSL command line (`openssl dgst -sha256 -sign`),
independently of the code under test."""

from __future__ import annotations

from datetime import UTC, datetime

# A throw-away 2048-bit test key (never used anywhere else), generated with `openssl genpkey -algorithm RSA`.
FIXED_PEM = b"""-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7RucDYwjmEE+5
QuLL7JmDjXGa3LGM9KBT3BFFNDOK5L2luvvSiXpLbW5Ip0rynTHd2H4C+Z8bZMSL
VfwcJtxzslmKELpguUIrqY0Ds/gD/c6edhkMUIfoxigbZgDjZmIwue207063XXCD
YMJ4+9xlCXRwbi6YX14CDItxHMslU+PNNki1mzV+UxZm3Y74eFrh1IROEeTGvqW4
NbaG9c7RSE9yN5SK8qAZlaXE53X5KeOvlQeXGL68XnY3BX7EO2g/tu8AThEmMEs3
2z1Q+OIneOMYwAHYAHo6f2QvppNBQmUUlh/A2VxrI9xdYJIuGH0OauUQ5oaOvfw9
2Dtcu5y/AgMBAAECggEAB6n9JjxVTuT3/kLoeSPznFibf5TshzIzpXrqEgTy3wpB
YJjoWVNa999AliSSgp9APS3w6jpA8qQLDxCzwosslmeEFoxctDygopzLso0Y50Dp
xb5bhA9/oF0LoyNngebcudXCDpeEhyiBxD6fdsgH2vKqGzfHHGE6vaa5xiVBgwN7
4tvHsQDuZnm4oRD4r1sy5yPk6zvq5ALmriU5fmmdW7Mn2muOC7UlIikvaOKVyFMN
FKlS+Ilmygx967bjxfcGtxNPRVI4Fny58mkJxg6VM3HiFi71d7EGwxe1VVc9Dgld
+CyWKdmqV+gGj8h5ywmPWjFJf3mETflGOiXB6+wSQQKBgQDs/G1OUxJ0eSIOvZoW
f6pNSgA/foDrA/ZNWKeRgtHmo7xk/z2ahT2jG2WT0l6x2reScO/BnJ8dIxDE8cGc
dsXSUu1dJfszp11mlPQSBVRcb9QRa7ZyQlzmd653RRnD+lOoYsghwmWJ0eVEJ5N3
frCfWqVlHe04M6Awz2pPhA9WbwKBgQDKTXnkWzhw5d834mGoKovJBtu1VeG3JIth
oKl6YlcXNI+V634JXWiMC4VA5xSiPg6IQIQXaVqUGOUUtgLVz/XOnPzjsJCVRFR5
boByNOQp5AVE+X1H7yAAkF99I2JkQAUSdBcTVVROJz2Ya1iA3Ui2NYYmV91Dtsop
B1f1/qnGsQKBgQDDfszw0uijepXU0SX+r1wenBAuUL4qoT8auSqqh999ws6UBlac
VJPvLJeT5PPHBiVvQYkXD4vWrmmT/db4qqYwBcbXk5BxIPyUtgXNo+Xex0WLBW8h
PIuEd3BN5YwGtkcy3iI4bzPyCFt36Knm5nTvUAimrJRXS4c3HLOXWtqIMwKBgFAn
LjpJ4izpBu3vZd3pLYUykG5iXpHfitHdhAiXWgY5rwIpUcCIH9oM3nj+lXBKwhs9
5JgaB+dRjcIM80afpLZ+ALx9wmtBrW6HV6DoT9ZBH81aREbx+W3/xbWhBWTO8LOF
B3eDgWmNppvzPBeilSKMRmB+w44GqEZlQHaYtc+hAoGAd1qQ2pEDgBgqYhsmKghs
j84zV2WcRHuqmLMRRAqSzbvLLzM7T72foDdI5o/pjqCKlLgsp2oLMGeA8AbFr1RN
B2gYfR3Sx+C2pHRO0kzIuetwCurI3cBd+errn8RDP7RoUTsGt92G0nQanfHYOt4b
/d0YQ+NAhiWXJTy1Qc3Qw4g=
-----END PRIVATE KEY-----
"""
# openssl dgst -sha256 -sign fixed.pem over NOTICE_STRING (UTF-8) | base64
NOTICE_PARAMS = {
    "notify_id": "2026052000222155555",
    "app_id": "2021000000000000",
    "biz_content": '{"certify_id":"ZM202605201234567890","passed":"T"}',
    "cert_name": "张三",
    "charset": "utf-8",
    "version": "1.0",
    "sign_type": "RSA2",
    "sign": "to-be-ignored",
    "fund_bill_list": "",
}
NOTICE_STRING = (
    'app_id=2021000000000000&biz_content={"certify_id":"ZM202605201234567890","passed":"T"}'
    "&cert_name=张三&charset=utf-8&notify_id=2026052000222155555&version=1.0"
)
NOTICE_SIGNATURE = (
    "iSI1T5MTZMBj4imOr6IuGTdjnpPTxJ5oqfVFk3EQ5lsgqnRrIGM1AfzS0biuAClkOFJ8HlDh/vSVtOWrRGGrOzPkFeAnKg7dGTUEugY/A3O9"
    "C9NmwkZYKSa0haWuE+fTDneF/JFMhPAkw2vbIyYZWaDI8fENkXDu9I1sfNlV2JqEHM5GBme/Yvr2/F319QUWMU1KDywhQgJZbGruuychpKq"
    "VyU4lvssO5XHdQuD/GcTHJqQR803lKAmFEGAPhdIjldFYIMYaDgF5zOJsYE3DKVb3E5V1o5v+mi73OiNKvs9MkzVwxvC5OqwhD4ro6/RfQQ"
    "TNC/wynh12QUD1v2BJVA=="
)
# The request of alipay.user.certify.open.query at 2026-05-20 01:02:03 UTC (09:02:03 in Shanghai), same key.
APP_ID = "2021004100000001"
FIXED_NOW = datetime(2026, 5, 20, 1, 2, 3, tzinfo=UTC)
QUERY_STRING = (
    'app_id=2021004100000001&biz_content={"certify_id":"ZM202605201234567890"}&charset=utf-8&format=JSON'
    "&method=alipay.user.certify.open.query&sign_type=RSA2&timestamp=2026-05-20 09:02:03&version=1.0"
)
QUERY_SIGNATURE = (
    "K31WmTRohXZmKBqxhj86Y7619ZQaVSjf+D8R6DmmlYd2VjqqM2DpnCMg9eJ5JnV02Y3iKA9hf7Yl9lmMPjWAqyvSosk3PEImE9hB0hmNPgSY"
    "OJI2F7ND3x0Yvc+H12N0nZvYUKnEMWTBYs13Zcste3P4VV83D69XSaInaCkPituCmuiFDacbIr7YcJIqPmDpTEDGyXZNuDTpsbVtf5WV5wa"
    "1Bdur6itSNB0qY3RgIr613hC9HMv1R50YX9yyBhWEWfG/erjmrsyQy/yAZfvkzuxMeD/SYdLcsDTC7ibi/L6GuwG2moqGoJ3gZy9fZ7MZyU9X"
    "z+pCsMuad5K5fZi9fg=="
)
QUERY = "alipay.user.certify.open.query"
