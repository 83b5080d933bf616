/* nik: structure checks of the Indonesian NIK and the province table of the
 * Kemendagri region codes that NIKs carry (the data of
 * shared/data/indonesia_province_codes.csv, Kepmendagri 300.2.2-2430/2025).
 * BPS statistical codes differ for Papua and are not used here. */
#include "domain/nik.h"

#include <string.h>

#include "util/errors.h"
#include "util/timeutil.h"

static const struct nik_province provinces[] = {
    {"11", "Aceh", NIK_PROVINCE_CURRENT, NULL},
    {"12", "Sumatera Utara", NIK_PROVINCE_CURRENT, NULL},
    {"13", "Sumatera Barat", NIK_PROVINCE_CURRENT, NULL},
    {"14", "Riau", NIK_PROVINCE_CURRENT, NULL},
    {"15", "Jambi", NIK_PROVINCE_CURRENT, NULL},
    {"16", "Sumatera Selatan", NIK_PROVINCE_CURRENT, NULL},
    {"17", "Bengkulu", NIK_PROVINCE_CURRENT, NULL},
    {"18", "Lampung", NIK_PROVINCE_CURRENT, NULL},
    {"19", "Kepulauan Bangka Belitung", NIK_PROVINCE_CURRENT, NULL},
    {"21", "Kepulauan Riau", NIK_PROVINCE_CURRENT, NULL},
    {"31", "Daerah Khusus Ibukota Jakarta", NIK_PROVINCE_CURRENT, NULL},
    {"32", "Jawa Barat", NIK_PROVINCE_CURRENT, NULL},
    {"33", "Jawa Tengah", NIK_PROVINCE_CURRENT, NULL},
    {"34", "Daerah Istimewa Yogyakarta", NIK_PROVINCE_CURRENT, NULL},
    {"35", "Jawa Timur", NIK_PROVINCE_CURRENT, NULL},
    {"36", "Banten", NIK_PROVINCE_CURRENT, NULL},
    {"51", "Bali", NIK_PROVINCE_CURRENT, NULL},
    {"52", "Nusa Tenggara Barat", NIK_PROVINCE_CURRENT, NULL},
    {"53", "Nusa Tenggara Timur", NIK_PROVINCE_CURRENT, NULL},
    {"61", "Kalimantan Barat", NIK_PROVINCE_CURRENT, NULL},
    {"62", "Kalimantan Tengah", NIK_PROVINCE_CURRENT, NULL},
    {"63", "Kalimantan Selatan", NIK_PROVINCE_CURRENT, NULL},
    {"64", "Kalimantan Timur", NIK_PROVINCE_CURRENT,
     "before 2012 also Kalimantan Utara (65): NIKs registered there earlier keep 64"},
    {"65", "Kalimantan Utara", NIK_PROVINCE_CURRENT, NULL},
    {"71", "Sulawesi Utara", NIK_PROVINCE_CURRENT, NULL},
    {"72", "Sulawesi Tengah", NIK_PROVINCE_CURRENT, NULL},
    {"73", "Sulawesi Selatan", NIK_PROVINCE_CURRENT, NULL},
    {"74", "Sulawesi Tenggara", NIK_PROVINCE_CURRENT, NULL},
    {"75", "Gorontalo", NIK_PROVINCE_CURRENT, NULL},
    {"76", "Sulawesi Barat", NIK_PROVINCE_CURRENT, NULL},
    {"81", "Maluku", NIK_PROVINCE_CURRENT, NULL},
    {"82", "Maluku Utara", NIK_PROVINCE_CURRENT, NULL},
    {"91", "Papua", NIK_PROVINCE_CURRENT,
     "before the 2022 split also Papua Selatan (93), Papua Tengah (94) and Papua Pegunungan "
     "(95): NIKs registered there earlier keep 91"},
    {"92", "Papua Barat", NIK_PROVINCE_CURRENT,
     "before the 2022 split also Papua Barat Daya (96): NIKs registered there earlier keep 92"},
    {"93", "Papua Selatan", NIK_PROVINCE_CURRENT, NULL},
    {"94", "Papua Tengah", NIK_PROVINCE_CURRENT, NULL},
    {"95", "Papua Pegunungan", NIK_PROVINCE_CURRENT, NULL},
    {"96", "Papua Barat Daya", NIK_PROVINCE_CURRENT, NULL},
};

#define N_PROVINCES (sizeof provinces / sizeof provinces[0])

size_t nik_province_count(void)
{
    return N_PROVINCES;
}

const struct nik_province *nik_province_at(size_t i)
{
    return i < N_PROVINCES ? &provinces[i] : NULL;
}

const struct nik_province *nik_province_find(const char *s)
{
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < N_PROVINCES; i++)
        if (provinces[i].code[0] == s[0] && provinces[i].code[1] == s[1])
            return &provinces[i];
    return NULL;
}

const char *nik_province_status_name(enum nik_province_status s)
{
    return s == NIK_PROVINCE_LEGACY ? "legacy" : "current";
}

static void add_error(struct nik_result *r, enum nik_field f, enum nik_code c, enum nik_why w)
{
    if (r->n_errors < NIK_MAX_ERRORS)
        r->errors[r->n_errors++] = (struct nik_error){.field = f, .code = c, .why = w};
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* DDMMYY with 40 added to the day for women. The year is the most recent
 * one, ending in YY, whose date is not after today. */
static void read_birth(struct nik_result *r, const char *p, int64_t today)
{
    if (!digits(p, 6))
        return;
    int dd = num2(p), mm = num2(p + 2), yy = num2(p + 4);
    if (dd >= 1 && dd <= 31) {
        r->sex = 'M';
    } else if (dd >= 41 && dd <= 71) {
        r->sex = 'F';
        dd -= 40;
    } else {
        add_error(r, NIK_FIELD_BIRTH_DATE, NIK_CODE_INVALID_DATE, NIK_WHY_DAY);
        return;
    }
    if (mm < 1 || mm > 12) {
        add_error(r, NIK_FIELD_BIRTH_DATE, NIK_CODE_INVALID_DATE, NIK_WHY_MONTH);
        return;
    }
    int ty, tm, td;
    time_civil_from_days(today, &ty, &tm, &td);
    int year = ty / 100 * 100 + yy;
    if ((long)year * 10000 + mm * 100 + dd > (long)ty * 10000 + tm * 100 + td)
        year -= 100;
    if (!time_valid_date(year, mm, dd)) {
        add_error(r, NIK_FIELD_BIRTH_DATE, NIK_CODE_INVALID_DATE, NIK_WHY_DATE);
        return;
    }
    r->birth_valid = true;
    r->birth_year = year;
    r->birth_month = mm;
    r->birth_day = dd;
}

/* Reads the components of a 16-byte NIK; a component holding a non-digit
 * is copied but not judged (the charset error covers it). */
static void read_fields(struct nik_result *r, const char *s, int64_t today)
{
    r->read = true;
    memcpy(r->province_code, s, 2);
    memcpy(r->regency_code, s, 4);
    memcpy(r->district_code, s, 6);
    memcpy(r->serial, s + 12, 4);
    if (digits(s, 2)) {
        r->province = nik_province_find(s);
        if (r->province == NULL)
            add_error(r, NIK_FIELD_PROVINCE, NIK_CODE_UNKNOWN_CODE, NIK_WHY_PROVINCE);
    }
    if (digits(s + 2, 2)) {
        int k = num2(s + 2);
        r->city = k >= 71;
        if (k == 0)
            add_error(r, NIK_FIELD_REGENCY, NIK_CODE_INVALID_VALUE, NIK_WHY_REGENCY_ZERO);
        else if (k == 70)
            add_error(r, NIK_FIELD_REGENCY, NIK_CODE_INVALID_VALUE, NIK_WHY_REGENCY_70);
    }
    if (digits(s + 4, 2) && num2(s + 4) == 0)
        add_error(r, NIK_FIELD_DISTRICT, NIK_CODE_INVALID_VALUE, NIK_WHY_DISTRICT_ZERO);
    read_birth(r, s + 6, today);
    if (digits(s + 12, 4) && memcmp(s + 12, "0000", 4) == 0)
        add_error(r, NIK_FIELD_SERIAL, NIK_CODE_INVALID_VALUE, NIK_WHY_SERIAL_ZERO);
}

int nik_parse(const char *s, size_t len, int64_t today, struct nik_result *out)
{
    if (out == NULL || (s == NULL && len > 0))
        return ERR_INVALID;
    memset(out, 0, sizeof *out);
    out->input_len = len;
    memcpy(out->input, s ? s : "", len < NIK_ECHO_MAX ? len : NIK_ECHO_MAX);
    if (len != NIK_LEN)
        add_error(out, NIK_FIELD_NIK, NIK_CODE_LENGTH, NIK_WHY_LENGTH);
    if (!digits(s ? s : "", len))
        add_error(out, NIK_FIELD_NIK, NIK_CODE_CHARSET, NIK_WHY_CHARSET);
    if (len == NIK_LEN)
        read_fields(out, s, today);
    out->valid = out->n_errors == 0;
    return 0;
}

const char *nik_field_name(enum nik_field f)
{
    static const char *const names[] = {
        [NIK_FIELD_NIK] = "nik",
        [NIK_FIELD_PROVINCE] = "province_code",
        [NIK_FIELD_REGENCY] = "regency_code",
        [NIK_FIELD_DISTRICT] = "district_code",
        [NIK_FIELD_BIRTH_DATE] = "birth_date",
        [NIK_FIELD_SERIAL] = "serial",
    };
    return (size_t)f < sizeof names / sizeof names[0] ? names[f] : "nik";
}

const char *nik_code_name(enum nik_code c)
{
    static const char *const names[] = {
        [NIK_CODE_LENGTH] = "length",
        [NIK_CODE_CHARSET] = "charset",
        [NIK_CODE_UNKNOWN_CODE] = "unknown_code",
        [NIK_CODE_INVALID_VALUE] = "invalid_value",
        [NIK_CODE_INVALID_DATE] = "invalid_date",
    };
    return (size_t)c < sizeof names / sizeof names[0] ? names[c] : "invalid_value";
}

const char *nik_why_text(enum nik_why w)
{
    static const char *const text[] = {
        [NIK_WHY_LENGTH] = "a NIK has 16 digits",
        [NIK_WHY_CHARSET] = "a NIK holds only the digits 0-9",
        [NIK_WHY_PROVINCE] = "not a Kemendagri province code",
        [NIK_WHY_REGENCY_ZERO] = "regency/city code 00 is not used",
        [NIK_WHY_REGENCY_70] = "regency/city code 70 is unused (01-69 regency, 71+ city)",
        [NIK_WHY_DISTRICT_ZERO] = "district code 00 is not used",
        [NIK_WHY_DAY] = "day must be 01-31, or 41-71 for women (day + 40)",
        [NIK_WHY_MONTH] = "month must be 01-12",
        [NIK_WHY_DATE] = "no such calendar date",
        [NIK_WHY_SERIAL_ZERO] = "serial 0000 is not used (serials start at 0001)",
    };
    return (size_t)w < sizeof text / sizeof text[0] ? text[w] : "invalid";
}
