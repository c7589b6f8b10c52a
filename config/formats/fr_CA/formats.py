# Django's own fr_CA formats write "H\xa0h\xa0i" for "13 h 40", but an unescaped `h` is the
# 12-hour hour: 13:40 showed as "13 01 40". The same formats with the letter escaped; the
# rest of fr_CA comes from Django (get_format reads these modules first).
TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 13 h 40
