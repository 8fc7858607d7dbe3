#!/usr/bin/env python3
"""Writes the bad/odd input corpus in this folder (tests/data/bad).

The files are committed; this script only documents, byte for byte, how each one was made, so a
reviewer can check the expectations in tests/test_badinput.cpp against it. Run it from anywhere:
    python3 tests/data/bad/make_corpus.py
Taobao-shaped rows use invented ids (the Tianchi sample must stay out of the repository); REES46
rows are taken from "REES46 Marketing Platform, eCommerce behavior data from multi category store"
(free to use with that credit). Files larger than a few kB (the 100 MB line, the 2 MB field) are
generated at run time by the test, never committed.
"""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def lines(*rows, end=b"\n", final=True):
    body = end.join(r.encode("utf-8") if isinstance(r, str) else r for r in rows)
    return body + (end if final else b"")


REES_HEADER = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"
R1 = "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c"
R2 = "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc"
R3 = "2019-10-01 00:00:01 UTC,cart,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8"
R4 = "2019-10-01 00:00:04 UTC,purchase,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d"
R5 = "2019-10-01 00:00:05 UTC,remove_from_cart,1480613,2053013561092866779,computers.desktop,pulser,908.62,512742880,0d0d91c2-c9c2-4e81-90a5-86594dec0db9"

# --- file-level failures -------------------------------------------------------------------------
write("empty.csv", b"")
write("bom_only.csv", b"\xef\xbb\xbf")
write("only_blank_lines.csv", b"\n\n\r\n\n")
write("rees46_header_only.csv", lines(REES_HEADER))
write("taobao_all_rows_rejected.csv", lines(
    "1001,2000001,300001,click,1511544070",  # 1 unknown_behaviour
    "1001,2000002",                          # 2 wrong_column_count
    "abc,def,ghi,pv,1511561733",             # 3 invalid_id
))


def png_bytes():
    # A valid 1x1 RGBA PNG (signature, IHDR, IDAT, IEND with correct CRCs).
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(
            ">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


write("really_a_png.csv", png_bytes())


def synthetic_taobao(n):
    # Deterministic invented rows for the .gz files.
    out, x = [], 12345
    behaviours = ["pv", "pv", "pv", "pv", "pv", "pv", "fav", "cart", "buy", "pv"]
    for i in range(n):
        x = (1103515245 * x + 12345) % 2147483648
        out.append("%d,%d,%d,%s,%d" % (1001 + i // 10, 2000000 + x % 50000, 300000 + x % 97,
                                        behaviours[i % 10], 1511544070 + 37 * i))
    return lines(*out)


full = gzip.compress(synthetic_taobao(400), compresslevel=9, mtime=0)
write("taobao_truncated.csv.gz", full[: len(full) // 2])  # cut in the middle of the deflate stream
write("taobao_valid.csv.gz", gzip.compress(lines(
    "1001,2000001,300001,pv,1511544070",
    "1001,2000002,300002,fav,1511561733",
    "1002,2000001,300001,buy,1511572885",
), compresslevel=9, mtime=0))

# --- Taobao rows ---------------------------------------------------------------------------------
write("taobao_wrong_column_count.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,pv",                   # 2 wrong_column_count (4 fields)
    "1001,2000003,300001,fav,1511572885",       # 3 ok
    "1002,2000004,300003,cart,1511593493,9",    # 4 wrong_column_count (6 fields)
    "1002,2000001,300001,buy,1511596146",       # 5 ok
))
write("taobao_non_numeric_id.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "abc,2000002,300002,pv,1511561733",         # 2 invalid_id (user)
    "1001,20x0003,300001,pv,1511572885",        # 3 invalid_id (item)
    "1002,2000004,300003,cart,1511593493",      # 4 ok
    "1002,-5,300001,buy,1511596146",            # 5 invalid_id (item, sign)
))
write("taobao_negative_timestamp.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,pv,-1511561733",       # 2 timestamp_out_of_range (1922)
    "1001,2000003,300001,fav,1511572885",       # 3 ok
    "1002,2000004,300003,cart,-1",              # 4 timestamp_out_of_range (1969)
))
write("taobao_absurd_timestamp.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,pv,32503680000",       # 2 out of range: 3000-01-01
    "1001,2000003,300001,fav,99999999999",      # 3 out of range: year 5138
    "1002,2000004,300003,cart,631152000",       # 4 ok: exactly 1990-01-01 00:00:00
    "1002,2000001,300001,buy,631151999",        # 5 out of range: one second before
    "1003,2000005,300004,pv,4102444799",        # 6 ok: 2099-12-31 23:59:59
    "1003,2000006,300004,pv,yesterday",         # 7 invalid_timestamp
))
write("taobao_unknown_behaviour.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,click,1511561733",     # 2 unknown_behaviour
    "1001,2000003,300001,buy,1511572885",       # 3 ok
    "1002,2000004,300003,fav,1511593493",       # 4 ok
    "1002,2000001,300001,cart,1511596146",      # 5 ok
    "1003,2000005,300004,purchase,1511616481",  # 6 unknown_behaviour (a REES46 word)
))
write("taobao_utf8_bom.csv", b"\xef\xbb\xbf" + lines(
    "1001,2000001,300001,pv,1511544070",
    "1001,2000002,300002,fav,1511561733",
    "1002,2000001,300001,buy,1511572885",
))
write("taobao_crlf.csv", lines(
    "1001,2000001,300001,pv,1511544070",
    "1001,2000002,300002,cart,1511561733",
    "1002,2000001,300001,buy,1511572885",
    end=b"\r\n"))
write("taobao_truncated_last_line.csv", lines(
    "1001,2000001,300001,pv,1511544070",
    "1001,2000002,300002,pv,1511561733",
    "1001,2000003,300001,fav,1511572885",
    "1002,2000004,3000",                        # 4 cut mid-row, no newline: wrong_column_count
    final=False))
write("taobao_no_final_newline.csv", lines(
    "1001,2000001,300001,pv,1511544070",
    "1001,2000002,300002,pv,1511561733",
    "1001,2000003,300001,fav,1511572885",       # complete row, just no newline: imported
    final=False))
write("taobao_nul_bytes.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    b"1001,2000\x00002,300002,pv,1511561733",   # 2 nul_byte inside an id
    "1001,2000003,300001,fav,1511572885",       # 3 ok
    b"\x00\x00\x00\x00",                        # 4 nul_byte (only NULs)
    b"1002,2000004,300003,cart,1511593493\x00", # 5 nul_byte (trailing)
    "1002,2000001,300001,buy,1511596146",       # 6 ok
))
write("taobao_ids_beyond_2p64.csv", lines(
    "9007199254740993,9007199254740995,300001,pv,1511544070",                 # 2^53+1, 2^53+3
    "18446744073709551617,18446744073709551616,18446744073709551615,buy,1511561733",  # 2^64+1, 2^64, 2^64-1
    "123456789012345678901234567890,1,300001,cart,1511572885",              # 30 digits
))
write("taobao_unterminated_quote.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    '1001,"2000002,300002,pv,1511561733',       # 2 unterminated_quote (must not swallow line 3)
    "1001,2000003,300001,fav,1511572885",       # 3 ok
    "1002,2000004,300003,cart,1511593493",      # 4 ok
))
write("taobao_blank_lines.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "",                                         # 2 blank
    "1001,2000002,300002,pv,1511561733",        # 3 ok
    "",                                         # 4 blank
    "",                                         # 5 blank
    "1001,2000003,300001,fav,1511572885",       # 6 ok
))
write("taobao_whitespace_only_lines.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "   ",                                      # 2 spaces only: blank
    "1001,2000002,300002,pv,1511561733",        # 3 ok
    "\t\t",                                     # 4 tabs only: blank
    " \t ",                                     # 5 mixed: blank
    "1001,2000003,300001,fav,1511572885",       # 6 ok
))
write("taobao_only_delimiters.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    ",,,,",                                     # 2 five empty fields: missing_field (user, column 1)
    "1001,2000002,300002,pv,1511561733",        # 3 ok
    ",,,,,,,,",                                 # 4 nine empty fields: wrong_column_count
))
write("taobao_mixed_good_bad.csv", lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,fav,1511561733",       # 2 ok
    "1001,2000003,300001,cart,",                # 3 missing_field (timestamp, column 5)
    "",                                         # 4 blank
    "1002,2000004,300003,buy,1511593493",       # 5 ok
    "1002,2000001,300001,like,1511596146",      # 6 unknown_behaviour
    "x1002,2000005,300004,pv,1511616481",       # 7 invalid_id
    "1002,2000006,300004,pv,1511644942,1",      # 8 wrong_column_count
    "1003,2000007,300005,pv,1511713473",        # 9 ok
    "1003,2000008,300005,pv,1511725471000",     # 10 timestamp_out_of_range (milliseconds)
    "1003,2000009,300005,pv,1511733732",        # 11 ok
    "1003,2000010,300006,pv,15117414.71",       # 12 invalid_timestamp
    "1004,2000011,300007,pv,1511750828",        # 13 ok
    '1004,"2000012",300008,buy,1511758881',     # 14 ok (quoted id)
    "1004,2000013,300001,pv,1511773214",        # 15 ok
))

# --- REES46 rows ---------------------------------------------------------------------------------
write("rees46_crlf.csv", lines(REES_HEADER, R1, R2, R3, R4, end=b"\r\n"))
write("rees46_quoted_fields.csv", lines(
    REES_HEADER,
    '2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,"a,b ""x""",35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c',
    '2019-10-01 00:00:01 UTC,cart,3900821,2053013552326770905,"appliances.environment.water_heater","aqua",33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc',
    '"2019-10-01 00:00:02 UTC","purchase","17200506","2053013559792632471","","""quoted""","543.10","519107250","566511c2-e2e3-422b-b695-cf8e6e792ca8"',
))
write("rees46_latin1_brand.csv", lines(
    REES_HEADER,
    R1,                                                                                   # 2 ok
    b"2019-10-01 00:00:02 UTC,view,5100816,2053013553375346967,,citro\xebn,29.51,555446068,4e7f0b74-5d4b-4f0c-8a3e-0b5e9a1f9c1a",   # 3 Latin-1 e-diaeresis
    "2019-10-01 00:00:03 UTC,view,5100817,2053013553375346967,,citro\u00ebn,29.51,555446068,4e7f0b74-5d4b-4f0c-8a3e-0b5e9a1f9c1a",  # 4 same in UTF-8: ok
    b"2019-10-01 00:00:04 UTC,view,5100818,2053013553375346967,,citro\xe2\x82,29.51,555446068,4e7f0b74-5d4b-4f0c-8a3e-0b5e9a1f9c1a", # 5 cut multi-byte sequence
    R2,                                                                                   # 6 ok
))
write("rees46_duplicate_header.csv", lines(REES_HEADER, R1, R2, REES_HEADER, R3, R4))
write("rees46_missing_field.csv", lines(
    REES_HEADER,
    R1,                                                                                                                # 2 ok
    "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,,9333dfbd-b87a-4708-9857-6336556b0fcc",  # 3 no user_id
    R2,                                                                                                                # 4 ok
    "2019-10-01 00:00:01 UTC,cart,,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8",          # 5 no product_id
    "2019-10-01 00:00:17 UTC,view,23100006,2053013561638126333,,,357.79,513642368,17566c27-0a8f-4506-9f30-c6a2ccbf583b",                             # 6 ok (empty code, brand)
    "2019-10-01 00:00:04 UTC,,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d",      # 7 no event_type
))
write("rees46_invalid_price.csv", lines(
    REES_HEADER,
    R1,                                                                                                           # 2 ok 35.79
    "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,abc,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc",   # 3 invalid_price
    "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8",                  # 4 ok, no price (NaN)
    "2019-10-01 00:00:01 UTC,view,1307067,2053013558920217191,computers.notebook,lenovo,inf,550050854,7c90fc70-0e80-4590-96f3-13c02c18c713",                  # 5 invalid_price
    "2019-10-01 00:00:04 UTC,view,1004237,2053013555631882655,electronics.smartphone,apple,12.5.3,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d",             # 6 invalid_price
    "2019-10-01 00:00:05 UTC,view,1480613,2053013561092866779,computers.desktop,pulser,0,512742880,0d0d91c2-c9c2-4e81-90a5-86594dec0db9",                     # 7 ok, price 0
))

# --- other formats -------------------------------------------------------------------------------
write("diginetica_na_user.csv", lines(
    "session_id;user_id;item_id;timeframe;eventdate",
    "1;NA;81766;526309;2016-05-09",      # 2 user session:1, ts 1462752000 + 526
    "1;NA;31331;1031018;2016-05-09",     # 3 + 1031
    "2;NA;32118;243569;2016-05-09",      # 4 + 243
    "3;5773;12352;58424;2016-05-09",     # 5 real user 5773, + 58
    "4;NA;35077;0;2016-05-10",           # 6 1462838400
    "5;NA;9654;xyz;2016-05-10",          # 7 invalid_timestamp (timeframe)
))
write("retailrocket_unknown_event.csv", lines(
    "timestamp,visitorid,event,itemid,transactionid",
    "1433221332117,257597,view,355908,",
    "1433224214164,992329,view,248676,",
    "1433221999827,111016,click,318965,",          # 4 unknown_behaviour
    "1433221955914,483717,addtocart,253185,",
    "1433222000000,483717,transaction,253185,4000",
))
write("tianchi_behaviour_7.csv", lines(
    "user_id,item_id,behavior_type,user_geohash,item_category,time",
    "10001082,285259775,1,97lk14c,4076,2014-12-08 18",
    "10001082,4368907,1,,5503,2014-12-12 12",
    "10001082,4368907,7,,5503,2014-12-12 12",      # 4 unknown_behaviour
    "10001082,53616768,3,,9762,2014-12-02 15",
    "100029775,128768479,4,,10894,2014-12-05 21",
    "100029775,128768479,2,96nmr0m,10894,2014-12-05 21",
    "100029775,128768479,0,,10894,2014-12-05 21",  # 8 unknown_behaviour
))
write("yoochoose_clicks_bad_timestamp.dat", lines(
    "1,2014-04-07T10:51:09.277Z,214536502,0",
    "1,2014-04-07T10:54:09.868Z,214536500,0",
    "1,2014-13-45T99:00:00.000Z,214536506,0",      # 3 invalid_timestamp
    "2,2014-04-07T13:56:37.614Z,214662742,0",
    "2,yesterday,214662742,0",                     # 5 invalid_timestamp
    "3,2014-04-02T13:17:46.940Z,214716935,S",
    "3,2014-04-02T13:26:02.515Z,214774687,2",
    "4,2014-04-07T12:09:10Z,214821275,0",          # no fraction: still ISO-8601
))
write("generic_unknown_key.tsv", lines(
    "customer\tsku\taction\ttime",
    "c-100\tsku-1\tclick\t1700000000000",
))
write("generic_unknown_key.json", b'{"delimter": "\\t", "header": true,\n'
      b' "columns": {"user": "customer", "item": "sku", "behaviour": "action", "timestamp": "time"},\n'
      b' "timestamp_format": "unix_ms", "behaviours": {"click": "view"}}\n')
write("generic_bad_rows.tsv", lines(
    "customer\tsku\taction\ttime",
    "c-100\tsku-1\tclick\t1700000000000",
    "c-100\tsku-2\tbasket\t1700000060000",
    "c-101\tsku-1\twishlist\t1700000120000",       # 4 unknown_behaviour (not in the mapping)
    "c-101\tsku-3\torder\t1700000180000",
    "\tsku-3\torder\t1700000240000",               # 6 missing_field (user)
))
write("generic_bad_rows.json", b'{"delimiter": "\\t", "header": true,\n'
      b' "columns": {"user": "customer", "item": "sku", "behaviour": "action", "timestamp": "time"},\n'
      b' "timestamp_format": "unix_ms", "behaviours": {"click": "view", "basket": "cart", "order": "buy"}}\n')

# --- second round: gzip members, calendar validation, time zones --------------------------------
# Two gzip members back to back (what `cat a.gz b.gz` makes): one stream, all four rows.
write("taobao_multimember.csv.gz",
      gzip.compress(lines("1001,2000001,300001,pv,1511544070",
                          "1001,2000002,300002,fav,1511561733"), mtime=0)
      + gzip.compress(lines("1002,2000001,300001,cart,1511572885",
                            "1002,2000003,300001,buy,1511593493"), mtime=0))
# A valid .gz with a bad row: line numbers are the decompressed file's.
write("taobao_bad_rows.csv.gz", gzip.compress(lines(
    "1001,2000001,300001,pv,1511544070",        # 1 ok
    "1001,2000002,300002,pv,1511561733",        # 2 ok
    "1001,2000003,300001,like,1511572885",      # 3 unknown_behaviour
    "1002,2000004,300003,cart,1511593493",      # 4 ok
), mtime=0))
write("rees46_invalid_date.csv", lines(
    REES_HEADER,
    R1,                                                                                                       # 2 ok
    "2019-02-30 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc",  # 3 no 30 February
    "2019-10-01 25:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc",  # 4 hour 25
    "2019-10-01 00:00:00 CET,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc",  # 5 a zone that is not UTC
    "2020-02-29 12:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc",  # 6 ok: leap day
    R3,                                                                                                       # 7 ok
))
write("yoochoose_clicks_offsets.dat", lines(
    "1,2014-04-07T10:51:09.277Z,214536502,0",       # 1396867869
    "1,2014-04-07T12:51:09.277+02:00,214536500,0",  # same instant
    "1,2014-04-07T05:51:09.999-05:00,214536506,0",  # same instant
))
