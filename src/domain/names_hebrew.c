/* names_hebrew: romanisation of personal names written in Hebrew script,
 * without ICU.
 *
 * Hebrew script writes few vowels, so ICU's Hebrew-Latin gives skeletons
 * (משה -> mšh) that meet a Latin list only by skeleton. Here, for each
 * Hebrew word of a string (already NFKC-folded by names_normalise):
 *
 *  - the word is folded: niqqud and cantillation dropped, final forms
 *    (ך ם ן ף ץ) written as their base letters, geresh and gershayim (also
 *    ASCII ' and ", and U+2019) dropped; maqaf and sof pasuq separate words;
 *  - a lexicon of about 475 common given names and family names (the
 *    usual unpointed spelling, with the full-spelling variants in use: דוד
 *    and דויד, אהרן and אהרון) maps the folded word to the spelling most
 *    seen in passports and lists (משה -> moshe, כהן -> cohen, בנימין ->
 *    benjamin). Where the Israeli passport form and the English one
 *    differ, the lexicon takes the English form only when it is the one
 *    lists use for Israelis (benjamin, david, michael, rachel, israel);
 *    otherwise the Israeli form (avraham, not abraham: one letter away);
 *    ח is ch in given names (chaim, rachel) and h in Sephardi surnames
 *    that lists write so (hadad, hazan);
 *  - a word ending in an Ashkenazi suffix (ברג berg, שטיין stein, פלד
 *    feld, בורג burg, באום baum, וביץ ovitz or, with a geresh, ovich, סקי
 *    ski, מן man) is its stem (lexicon or letters, with e as the guessed
 *    vowel: גולדנברג -> goldenberg) and the suffix;
 *  - any other word is romanised letter by letter: ב b (v when not
 *    word-initial), ג g (ג׳ j), ד d, ה h (a at word end after a consonant),
 *    ז z (ז׳ zh), ח ch, ט t, כ k (ch when not initial), ל l, מ m, נ n, ס s,
 *    פ p (f when not initial), צ tz (צ׳ ch), ק k, ר r, ש sh (s with a sin
 *    dot), ת t; ו is v at word start, before י or a final ה and doubled
 *    (וו), u before א and in a final -הו, o elsewhere; י is y at word
 *    start, doubled (יי), before ו or a final ה, ai at the end of a
 *    two-letter word (שי -> shai), i elsewhere; א and ע are silent vowel
 *    carriers: nothing before a vowel ו or י, e after a vowel, a
 *    elsewhere. Between two consonants an a is guessed, except after a
 *    consonant that follows a written vowel and is not before the last
 *    letter (the syllable closes: גולדה -> golda, אברהם -> avraham);
 *  - a pointed word (some vowel point written) is read from its points
 *    instead: qamats patah a, segol tsere e, hiriq i, holam o, qubuts and
 *    shuruq u, shva nothing (e on a first letter that is י, doubled or
 *    before a guttural); a dagesh makes ב כ פ b k p; a patah under a
 *    final ח or ע is read before it (נֹחַ -> noach).
 * These are guesses: a word outside the lexicon is usually one or two
 * letters away from its listed spelling, which the matcher's typo and
 * skeleton comparisons absorb. Pure; no allocation. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "domain/names_hebrew.h"
#include "domain/names_script.h"

#define MAX_LETTERS 64 /* letters in one Hebrew word */
#define KEY_MAX (MAX_LETTERS * 2 + 1)

/* Lexicon: folded key (UTF-8, base letters, sorted by bytes) and the usual
 * spelling. */
static const struct lex {
    const char *key, *lat;
} lexicon[] = {
    {"אבוטבול", "abutbul"},
    {"אבוקסיס", "abukasis"},
    {"אבי", "avi"},
    {"אביאל", "aviel"},
    {"אביב", "aviv"},
    {"אביגדור", "avigdor"},
    {"אביגיל", "avigail"},
    {"אבידנ", "avidan"},
    {"אביטל", "avital"},
    {"אביטנ", "abitan"},
    {"אבינועמ", "avinoam"},
    {"אביעד", "aviad"},
    {"אבירמ", "aviram"},
    {"אבישי", "avishai"},
    {"אבנר", "avner"},
    {"אברגיל", "abergil"},
    {"אברהמ", "avraham"},
    {"אברמוביצ", "abramovich"},
    {"אגמונ", "agmon"},
    {"אדוה", "adva"},
    {"אדלר", "adler"},
    {"אדלשטיינ", "edelstein"},
    {"אדר", "adar"},
    {"אדרי", "edri"},
    {"אהוד", "ehud"},
    {"אהרונ", "aharon"},
    {"אהרוני", "aharoni"},
    {"אהרנ", "aharon"},
    {"אודי", "udi"},
    {"אודליה", "odelia"},
    {"אוהד", "ohad"},
    {"אוחיונ", "ohayon"},
    {"אוחנה", "ohana"},
    {"אולמרט", "olmert"},
    {"אופיר", "ofir"},
    {"אופק", "ofek"},
    {"אור", "or"},
    {"אורבכ", "orbach"},
    {"אורי", "uri"},
    {"אוריאל", "uriel"},
    {"אורית", "orit"},
    {"אורלי", "orly"},
    {"אורנ", "oren"},
    {"אורנה", "orna"},
    {"אושר", "osher"},
    {"אושרת", "oshrat"},
    {"אזולאי", "azoulay"},
    {"אייזנברג", "eisenberg"},
    {"אייכלר", "eichler"},
    {"אייל", "eyal"},
    {"איילת", "ayelet"},
    {"איינשטיינ", "einstein"},
    {"איל", "eyal"},
    {"אילנ", "ilan"},
    {"אילנה", "ilana"},
    {"אילת", "ayelet"},
    {"איריס", "iris"},
    {"איתי", "itai"},
    {"איתמר", "itamar"},
    {"איתנ", "eitan"},
    {"אלבז", "elbaz"},
    {"אלה", "ela"},
    {"אלונ", "alon"},
    {"אלוני", "aloni"},
    {"אלחננ", "elchanan"},
    {"אלי", "eli"},
    {"אליאור", "elior"},
    {"אליהו", "eliyahu"},
    {"אלינור", "elinor"},
    {"אליעזר", "eliezer"},
    {"אלירנ", "eliran"},
    {"אלישבע", "elisheva"},
    {"אלישע", "elisha"},
    {"אלכסנדר", "alexander"},
    {"אלמוג", "almog"},
    {"אלמליח", "elmaliach"},
    {"אלעד", "elad"},
    {"אלעזר", "elazar"},
    {"אלקיימ", "elkayam"},
    {"אלקנה", "elkana"},
    {"אמיר", "amir"},
    {"אמנונ", "amnon"},
    {"אמסלמ", "amsalem"},
    {"אסולינ", "assulin"},
    {"אספ", "asaf"},
    {"אסתר", "esther"},
    {"אפריאט", "afriat"},
    {"אפרימ", "efraim"},
    {"אפרת", "efrat"},
    {"אפשטיינ", "epstein"},
    {"אקשטיינ", "eckstein"},
    {"ארבל", "arbel"},
    {"ארז", "erez"},
    {"אריאל", "ariel"},
    {"אריה", "aryeh"},
    {"אשכול", "eshkol"},
    {"אשכנזי", "ashkenazi"},
    {"אשל", "eshel"},
    {"אשר", "asher"},
    {"בגינ", "begin"},
    {"בוזגלו", "buzaglo"},
    {"בוסקילה", "busquila"},
    {"בועז", "boaz"},
    {"ביבי", "bibi"},
    {"ביטונ", "biton"},
    {"בלאו", "blau"},
    {"בלוכ", "bloch"},
    {"בלומ", "blum"},
    {"בנ", "ben"},
    {"בנט", "bennett"},
    {"בני", "benny"},
    {"בנימינ", "benjamin"},
    {"בצלאל", "betzalel"},
    {"בר", "bar"},
    {"בראונ", "braun"},
    {"ברגמנ", "bergman"},
    {"ברגר", "berger"},
    {"ברדוגו", "bardugo"},
    {"ברוכ", "baruch"},
    {"ברנשטיינ", "bernstein"},
    {"ברק", "barak"},
    {"ברקוביצ", "berkovich"},
    {"ברקנ", "barkan"},
    {"בת", "bat"},
    {"בתיה", "batya"},
    {"גאולה", "geula"},
    {"גבאי", "gabay"},
    {"גבי", "gabi"},
    {"גביר", "gvir"},
    {"גבריאל", "gabriel"},
    {"גד", "gad"},
    {"גדי", "gadi"},
    {"גדעונ", "gideon"},
    {"גוטמנ", "gutman"},
    {"גולד", "gold"},
    {"גולדברג", "goldberg"},
    {"גולדמנ", "goldman"},
    {"גולדשטיינ", "goldstein"},
    {"גוריונ", "gurion"},
    {"גורנ", "goren"},
    {"גיא", "guy"},
    {"גיל", "gil"},
    {"גילה", "gila"},
    {"גינזבורג", "ginzburg"},
    {"גל", "gal"},
    {"גלבוע", "gilboa"},
    {"גלי", "gali"},
    {"גלית", "galit"},
    {"גלנט", "gallant"},
    {"גלעד", "gilad"},
    {"גנצ", "gantz"},
    {"גרוס", "gross"},
    {"גרוסמנ", "grossman"},
    {"גרינ", "green"},
    {"גרינברג", "greenberg"},
    {"גרשונ", "gershon"},
    {"דב", "dov"},
    {"דבורה", "dvora"},
    {"דגנ", "dagan"},
    {"דהנ", "dahan"},
    {"דוד", "david"},
    {"דויד", "david"},
    {"דור", "dor"},
    {"דורונ", "doron"},
    {"דיינ", "dayan"},
    {"דליה", "dalia"},
    {"דנ", "dan"},
    {"דנה", "dana"},
    {"דני", "dani"},
    {"דניאל", "daniel"},
    {"דפנה", "dafna"},
    {"דרור", "dror"},
    {"דרעי", "deri"},
    {"הדס", "hadas"},
    {"הדסה", "hadassah"},
    {"הדר", "hadar"},
    {"הופמנ", "hoffman"},
    {"הורוביצ", "horowitz"},
    {"הילה", "hila"},
    {"הירש", "hirsch"},
    {"הלוי", "halevi"},
    {"הלל", "hillel"},
    {"הלפרינ", "halperin"},
    {"הנגבי", "hanegbi"},
    {"הראל", "harel"},
    {"הרצוג", "herzog"},
    {"הרצל", "herzl"},
    {"וולפ", "wolf"},
    {"ויינברג", "weinberg"},
    {"וייס", "weiss"},
    {"וייסמנ", "weissman"},
    {"ויצמנ", "weizmann"},
    {"ורד", "vered"},
    {"זאב", "zeev"},
    {"זהבה", "zehava"},
    {"זוהר", "zohar"},
    {"זיו", "ziv"},
    {"זילבר", "zilber"},
    {"זילברמנ", "zilberman"},
    {"זכאי", "zakai"},
    {"זכריה", "zecharia"},
    {"זלמנ", "zalman"},
    {"חביב", "haviv"},
    {"חגי", "chagai"},
    {"חדד", "hadad"},
    {"חוה", "chava"},
    {"חזנ", "hazan"},
    {"חזקיהו", "chizkiyahu"},
    {"חיה", "chaya"},
    {"חיימ", "chaim"},
    {"חנ", "chen"},
    {"חנה", "chana"},
    {"חנוכ", "chanoch"},
    {"חננ", "chanan"},
    {"חסונ", "hasson"},
    {"טובה", "tova"},
    {"טוביה", "tuvia"},
    {"טולדנו", "toledano"},
    {"טל", "tal"},
    {"טליה", "talia"},
    {"יאיר", "yair"},
    {"יגאל", "yigal"},
    {"יגל", "yigal"},
    {"ידידיה", "yedidya"},
    {"יהודה", "yehuda"},
    {"יהודית", "yehudit"},
    {"יהונתנ", "yehonatan"},
    {"יהושע", "yehoshua"},
    {"יואב", "yoav"},
    {"יואל", "yoel"},
    {"יובל", "yuval"},
    {"יוחאי", "yochai"},
    {"יוחננ", "yochanan"},
    {"יוכבד", "yocheved"},
    {"יונה", "yona"},
    {"יונתנ", "yonatan"},
    {"יוסי", "yossi"},
    {"יוספ", "yosef"},
    {"יחזקאל", "yechezkel"},
    {"יחיאל", "yechiel"},
    {"ינאי", "yanai"},
    {"ינונ", "yinon"},
    {"יעל", "yael"},
    {"יעלונ", "yaalon"},
    {"יעקב", "yaakov"},
    {"יעקוב", "yaakov"},
    {"יערי", "yaari"},
    {"יפה", "yafa"},
    {"יפרח", "yifrach"},
    {"יפתח", "yiftach"},
    {"יצחק", "yitzhak"},
    {"ירדנ", "yarden"},
    {"ירונ", "yaron"},
    {"ירושלמי", "yerushalmi"},
    {"ירמיה", "yirmiya"},
    {"ירמיהו", "yirmiyahu"},
    {"ישי", "yishai"},
    {"ישעיה", "yeshaya"},
    {"ישעיהו", "yeshayahu"},
    {"ישראל", "israel"},
    {"ישראלי", "israeli"},
    {"יששכר", "yissachar"},
    {"כגנ", "kagan"},
    {"כהנ", "cohen"},
    {"כחלונ", "kahlon"},
    {"כפיר", "kfir"},
    {"כצ", "katz"},
    {"כרמי", "karmi"},
    {"כרמל", "carmel"},
    {"לאה", "leah"},
    {"לאונ", "leon"},
    {"לב", "lev"},
    {"לביא", "lavi"},
    {"לוי", "levi"},
    {"לוינ", "levin"},
    {"לוינסונ", "levinson"},
    {"ליאור", "lior"},
    {"ליאת", "liat"},
    {"ליבוביצ", "leibovich"},
    {"ליבנה", "livne"},
    {"ליבני", "livni"},
    {"ליברמנ", "liberman"},
    {"לילכ", "lilach"},
    {"לימור", "limor"},
    {"ליפשיצ", "lifshitz"},
    {"לירנ", "liran"},
    {"לנדאו", "landau"},
    {"לפיד", "lapid"},
    {"מאיה", "maya"},
    {"מאיר", "meir"},
    {"מוטי", "moti"},
    {"מועלמ", "moalem"},
    {"מור", "mor"},
    {"מזרחי", "mizrahi"},
    {"מיה", "maya"},
    {"מיכאל", "michael"},
    {"מיכל", "michal"},
    {"מימונ", "maimon"},
    {"מירב", "merav"},
    {"מלכה", "malka"},
    {"מנדלסונ", "mendelson"},
    {"מנחמ", "menachem"},
    {"מרגלית", "margalit"},
    {"מרדכי", "mordechai"},
    {"מרומ", "marom"},
    {"מרימ", "miriam"},
    {"מרציאנו", "marciano"},
    {"משה", "moshe"},
    {"מתניה", "matanya"},
    {"מתתיהו", "matityahu"},
    {"נבונ", "navon"},
    {"נגה", "noga"},
    {"נגר", "nagar"},
    {"נדב", "nadav"},
    {"נוח", "noach"},
    {"נוי", "noy"},
    {"נועה", "noa"},
    {"נועמ", "noam"},
    {"נורית", "nurit"},
    {"נחומ", "nachum"},
    {"נחמיה", "nechemia"},
    {"נחמנ", "nachman"},
    {"נטע", "neta"},
    {"ניסימ", "nissim"},
    {"ניר", "nir"},
    {"נסימ", "nissim"},
    {"נעמה", "naama"},
    {"נעמי", "naomi"},
    {"נפתלי", "naftali"},
    {"נתנ", "natan"},
    {"נתנאל", "netanel"},
    {"נתניהו", "netanyahu"},
    {"סבג", "sabag"},
    {"סגל", "segal"},
    {"סהר", "sahar"},
    {"סויסה", "suissa"},
    {"סיגל", "sigal"},
    {"סיונ", "sivan"},
    {"סמוטריצ", "smotrich"},
    {"סער", "saar"},
    {"ספיר", "sapir"},
    {"עדי", "adi"},
    {"עדנ", "eden"},
    {"עובדיה", "ovadia"},
    {"עוז", "oz"},
    {"עוזי", "uzi"},
    {"עומר", "omer"},
    {"עזרא", "ezra"},
    {"עטיה", "attia"},
    {"עידו", "ido"},
    {"עינב", "einav"},
    {"עמוס", "amos"},
    {"עמי", "ami"},
    {"עמיחי", "amichai"},
    {"עמית", "amit"},
    {"עמר", "amar"},
    {"עמרי", "omri"},
    {"ענבל", "inbal"},
    {"ענבר", "inbar"},
    {"ענת", "anat"},
    {"עפרה", "ofra"},
    {"עקיבא", "akiva"},
    {"ערנ", "eran"},
    {"פולק", "pollak"},
    {"פינקלשטיינ", "finkelstein"},
    {"פישר", "fischer"},
    {"פלדמנ", "feldman"},
    {"פנחס", "pinchas"},
    {"פנינה", "pnina"},
    {"פרידמנ", "friedman"},
    {"פרלמנ", "perlman"},
    {"פרנקל", "frenkel"},
    {"פרס", "peres"},
    {"פרצ", "peretz"},
    {"צבי", "zvi"},
    {"צביקה", "tzvika"},
    {"צדוק", "tzadok"},
    {"צור", "tzur"},
    {"צחי", "tzachi"},
    {"ציונ", "tzion"},
    {"צילה", "tzila"},
    {"ציפורה", "tzipora"},
    {"ציפי", "tzipi"},
    {"צפורה", "tzipora"},
    {"קדוש", "kadosh"},
    {"קדמי", "kedmi"},
    {"קוגנ", "kogan"},
    {"קורנ", "koren"},
    {"קליינ", "klein"},
    {"קלמנ", "kalman"},
    {"קפלנ", "kaplan"},
    {"קצב", "katsav"},
    {"קרמר", "kramer"},
    {"קרנ", "keren"},
    {"ראובנ", "reuven"},
    {"רביד", "ravid"},
    {"רבינ", "rabin"},
    {"רבינוביצ", "rabinovich"},
    {"רבקה", "rivka"},
    {"רגב", "regev"},
    {"רובינ", "rubin"},
    {"רובינשטיינ", "rubinstein"},
    {"רוזנ", "rosen"},
    {"רוזנברג", "rosenberg"},
    {"רוזנטל", "rosenthal"},
    {"רוזנפלד", "rosenfeld"},
    {"רוט", "roth"},
    {"רוטשילד", "rothschild"},
    {"רונ", "ron"},
    {"רונית", "ronit"},
    {"רועי", "roi"},
    {"רות", "ruth"},
    {"רותי", "ruti"},
    {"רותמ", "rotem"},
    {"רז", "raz"},
    {"רחל", "rachel"},
    {"רחמימ", "rachamim"},
    {"ריבלינ", "rivlin"},
    {"ריבקה", "rivka"},
    {"רינה", "rina"},
    {"רמ", "ram"},
    {"רמי", "rami"},
    {"רנ", "ran"},
    {"רעות", "reut"},
    {"רפאל", "rafael"},
    {"רפי", "rafi"},
    {"שאול", "shaul"},
    {"שגיא", "sagi"},
    {"שוורצ", "schwartz"},
    {"שולמית", "shulamit"},
    {"שולמנ", "shulman"},
    {"שושנ", "shoshan"},
    {"שושנה", "shoshana"},
    {"שזר", "shazar"},
    {"שחר", "shachar"},
    {"שטיינ", "stein"},
    {"שטייניצ", "steinitz"},
    {"שטרית", "shitrit"},
    {"שטרנ", "stern"},
    {"שטרנברג", "sternberg"},
    {"שי", "shai"},
    {"שירה", "shira"},
    {"שירי", "shiri"},
    {"שירנ", "shiran"},
    {"שלו", "shalev"},
    {"שלומ", "shalom"},
    {"שלומית", "shlomit"},
    {"שלמה", "shlomo"},
    {"שמואל", "shmuel"},
    {"שמחה", "simcha"},
    {"שמיר", "shamir"},
    {"שמעונ", "shimon"},
    {"שמעוני", "shimoni"},
    {"שמשונ", "shimshon"},
    {"שני", "shani"},
    {"שניאור", "shneor"},
    {"שניידר", "schneider"},
    {"שפירא", "shapira"},
    {"שפירו", "shapiro"},
    {"שקד", "shaked"},
    {"שרגא", "shraga"},
    {"שרה", "sarah"},
    {"שרונ", "sharon"},
    {"שרית", "sarit"},
    {"שרנסקי", "sharansky"},
    {"שרעבי", "sharabi"},
    {"שרת", "sharett"},
    {"ששונ", "sasson"},
    {"תהילה", "tehila"},
    {"תומר", "tomer"},
    {"תורגמנ", "turgeman"},
    {"תמיר", "tamir"},
    {"תמר", "tamar"},
    {"תקוה", "tikva"},
    {"תקווה", "tikva"},
};

enum {
    ALEF = 0x05D0,
    BET = 0x05D1,
    GIMEL = 0x05D2,
    DALET = 0x05D3,
    HE = 0x05D4,
    VAV = 0x05D5,
    ZAYIN = 0x05D6,
    HET = 0x05D7,
    TET = 0x05D8,
    YOD = 0x05D9,
    KAF = 0x05DB,
    LAMED = 0x05DC,
    MEM = 0x05DE,
    NUN = 0x05E0,
    SAMEKH = 0x05E1,
    AYIN = 0x05E2,
    PE = 0x05E4,
    TSADI = 0x05E6,
    QOF = 0x05E7,
    RESH = 0x05E8,
    SHIN = 0x05E9,
    TAV = 0x05EA,
};

enum { V_NONE = 0, V_SHVA, V_A, V_E, V_I, V_O, V_U };

struct letter {
    unsigned cp;   /* base letter: final forms folded */
    uint8_t vowel; /* written vowel point: V_* */
    bool haser;    /* the holam is U+05BA (a consonantal vav with o) */
    bool dagesh, sin, geresh;
};

struct word {
    size_t n;
    bool vocalised; /* some vowel point is written */
    struct letter l[MAX_LETTERS];
};

/* One unit of the letter-by-letter reading of an unpointed word. */
struct unit {
    const char *s;
    bool cons;
};

/* The code point of the two-byte sequence at s[i] when it lies in the
 * Hebrew block (U+0590..U+05FF), else 0. */
static unsigned heb_at(const unsigned char *s, size_t len, size_t i)
{
    if (i + 1 < len && (s[i] == 0xD6 || s[i] == 0xD7) && (s[i + 1] & 0xC0) == 0x80) {
        unsigned c = (unsigned)(s[i] & 0x1F) << 6 | (unsigned)(s[i + 1] & 0x3F);
        return c >= 0x0590 ? c : 0;
    }
    return 0;
}

static bool is_letter(unsigned c)
{
    return (c >= 0x05D0 && c <= 0x05EA) || (c >= 0x05EF && c <= 0x05F2);
}

/* Niqqud, cantillation, dagesh, shin and sin dots. */
static bool is_point(unsigned c)
{
    return (c >= 0x0591 && c <= 0x05BD) || c == 0x05BF || c == 0x05C1 || c == 0x05C2 ||
           c == 0x05C4 || c == 0x05C5 || c == 0x05C7;
}

/* Maqaf, paseq, sof pasuq, nun hafukha: read as a space. */
static bool is_sep(unsigned c)
{
    return c == 0x05BE || c == 0x05C0 || c == 0x05C3 || c == 0x05C6;
}

/* Bytes of a geresh-like sign at s[i] (U+05F3, ', U+2019), or 0. */
static size_t geresh_at(const unsigned char *s, size_t len, size_t i)
{
    if (heb_at(s, len, i) == 0x05F3)
        return 2;
    if (s[i] == '\'')
        return 1;
    if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99)
        return 3;
    return 0;
}

/* Bytes of a gershayim-like sign at s[i] (U+05F4, "), or 0. */
static size_t gershayim_at(const unsigned char *s, size_t len, size_t i)
{
    if (heb_at(s, len, i) == 0x05F4)
        return 2;
    return s[i] == '"' ? 1 : 0;
}

static unsigned base_of(unsigned c)
{
    switch (c) {
    case 0x05DA:
        return KAF;
    case 0x05DD:
        return MEM;
    case 0x05DF:
        return NUN;
    case 0x05E3:
        return PE;
    case 0x05E5:
        return TSADI;
    case 0x05EF:
        return YOD;
    default:
        return c;
    }
}

/* Appends letter c (the Yiddish ligatures as their two letters); false
 * when the word is full. */
static bool push_letter(struct word *w, unsigned c)
{
    static const unsigned ligatures[3][2] = {{VAV, VAV}, {VAV, YOD}, {YOD, YOD}};
    unsigned two[2] = {base_of(c), 0};
    if (c >= 0x05F0 && c <= 0x05F2)
        memcpy(two, ligatures[c - 0x05F0], sizeof two);
    for (size_t k = 0; k < 2 && two[k] != 0; k++) {
        if (w->n == MAX_LETTERS)
            return false;
        w->l[w->n++] = (struct letter){.cp = two[k]};
    }
    return true;
}

/* Attaches point c to the last letter (there is one). */
static void add_point(struct word *w, unsigned c)
{
    static const uint8_t vowels[] = {V_SHVA, V_E, V_A, V_O, V_I, V_E,
                                     V_E,    V_A, V_A, V_O, V_O, V_U}; /* U+05B0..U+05BB */
    struct letter *l = &w->l[w->n - 1];
    if (c >= 0x05B0 && c <= 0x05BB) {
        l->vowel = vowels[c - 0x05B0];
        l->haser = c == 0x05BA;
    } else if (c == 0x05C7) {
        l->vowel = V_O; /* qamats qatan */
    } else if (c == 0x05BC) {
        l->dagesh = true;
    } else if (c == 0x05C1 || c == 0x05C2) {
        l->sin = c == 0x05C2;
    }
    w->vocalised = w->vocalised || (l->vowel != V_NONE && l->vowel != V_SHVA) ||
                   (l->cp == VAV && l->dagesh); /* shuruq */
}

/* Reads the Hebrew word that starts (with a letter) at s[i] into w: its
 * letters, points and geresh signs; *end is where it stops. False when it
 * has more than MAX_LETTERS letters. */
static bool read_word(const unsigned char *s, size_t len, size_t i, struct word *w, size_t *end)
{
    w->n = 0;
    w->vocalised = false;
    while (i < len) {
        unsigned c = heb_at(s, len, i);
        size_t k;
        if (is_letter(c)) {
            if (!push_letter(w, c))
                return false;
            i += 2;
        } else if (is_point(c)) {
            add_point(w, c);
            i += 2;
        } else if ((k = geresh_at(s, len, i)) > 0) {
            w->l[w->n - 1].geresh = true;
            i += k;
        } else if ((k = gershayim_at(s, len, i)) > 0) {
            i += k;
        } else {
            break;
        }
    }
    *end = i;
    return true;
}

/* The folded key of letters [from, to) into key (KEY_MAX bytes). */
static void key_of(const struct word *w, size_t from, size_t to, char *key)
{
    size_t o = 0;
    for (size_t i = from; i < to; i++) {
        unsigned c = w->l[i].cp;
        key[o++] = (char)(0xC0 | (c >> 6));
        key[o++] = (char)(0x80 | (c & 0x3F));
    }
    key[o] = '\0';
}

static const struct lex *lookup(const char *key)
{
    return names_script_lexicon(lexicon, sizeof lexicon / sizeof lexicon[0], sizeof lexicon[0],
                                key);
}

/* A consonant; soft: ב כ פ read v ch f (not word-initial, no dagesh). */
static const char *consonant(const struct letter *l, bool soft)
{
    switch (l->cp) {
    case BET:
        return soft ? "v" : "b";
    case GIMEL:
        return l->geresh ? "j" : "g";
    case DALET:
        return "d";
    case HE:
        return "h";
    case VAV:
        return "v";
    case ZAYIN:
        return l->geresh ? "zh" : "z";
    case HET:
        return l->geresh ? "kh" : "ch";
    case TET:
        return "t";
    case YOD:
        return "y";
    case KAF:
        return soft ? "ch" : "k";
    case LAMED:
        return "l";
    case MEM:
        return "m";
    case NUN:
        return "n";
    case SAMEKH:
        return "s";
    case PE:
        return soft ? "f" : "p";
    case TSADI:
        return l->geresh ? "ch" : "tz";
    case QOF:
        return "k";
    case RESH:
        return "r";
    case SHIN:
        return l->sin ? "s" : "sh";
    case TAV:
        return l->geresh ? "th" : "t";
    default:
        return ""; /* א ע */
    }
}

/* Whether the ו or י at i of [from, to) is a vowel letter (unpointed). */
static bool vowel_vy(const struct word *w, size_t from, size_t to, size_t i)
{
    unsigned c = w->l[i].cp, next = i + 1 < to ? w->l[i + 1].cp : 0;
    bool final_he = next == HE && i + 2 == to;
    if ((c != VAV && c != YOD) || i == from || next == c || final_he)
        return false;
    return c == VAV ? next != YOD : next != VAV;
}

/* The unit of the single ו or י at i. */
static struct unit vy_unit(const struct word *w, size_t from, size_t to, size_t i, bool prev_cons)
{
    unsigned c = w->l[i].cp, next = i + 1 < to ? w->l[i + 1].cp : 0;
    if (!vowel_vy(w, from, to, i))
        return (struct unit){c == VAV ? "v" : "y", true};
    if (c == VAV)
        return (struct unit){next == ALEF || (next == 0 && w->l[i - 1].cp == HE) ? "u" : "o",
                             false};
    return (struct unit){next == 0 && i == from + 1 && prev_cons ? "ai" : "i", false};
}

/* The unit of the silent א or ע at i. */
static struct unit guttural_unit(const struct word *w, size_t from, size_t to, size_t i,
                                 bool prev_cons)
{
    const char *s = prev_cons ? "a" : "e";
    if (i + 1 < to && vowel_vy(w, from, to, i + 1))
        s = "";
    else if (i == from)
        s = "a";
    else if (i + 1 == to && !prev_cons)
        s = "";
    return (struct unit){s, false};
}

/* Units of the unpointed letters [from, to); their number. */
static size_t plain_units(const struct word *w, size_t from, size_t to, struct unit *u)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        const struct letter *l = &w->l[i];
        bool prev_cons = n > 0 && u[n - 1].cons;
        if ((l->cp == VAV || l->cp == YOD) && i + 1 < to && w->l[i + 1].cp == l->cp) {
            u[n] = (struct unit){l->cp == VAV ? "v" : "y", true}; /* וו, יי */
            i++;
        } else if (l->cp == VAV || l->cp == YOD)
            u[n] = vy_unit(w, from, to, i, prev_cons);
        else if (l->cp == ALEF || l->cp == AYIN)
            u[n] = guttural_unit(w, from, to, i, prev_cons);
        else if (l->cp == HE && i + 1 == to && i > from && !l->dagesh)
            u[n] = (struct unit){prev_cons ? "a" : "", false};
        else
            u[n] = (struct unit){consonant(l, i > from && !l->dagesh), true};
        n++;
    }
    return n;
}

/* Unpointed letters [from, to), with guessed vowels (e in an Ashkenazi
 * stem, a otherwise); open: a vowel follows (the suffix starts with one). */
static bool spell_plain(const struct word *w, size_t from, size_t to, bool ashk, bool open,
                        char *out, size_t outsz, size_t *o)
{
    struct unit u[MAX_LETTERS];
    size_t n = plain_units(w, from, to, u);
    for (size_t k = 0; k < n; k++) {
        if (!names_script_put(out, outsz, o, u[k].s))
            return false;
        if (!u[k].cons || k + 1 >= n || !u[k + 1].cons)
            continue;
        bool closes = k > 0 && !u[k - 1].cons && (k + 2 < n || open);
        if (!closes && !names_script_put(out, outsz, o, ashk ? "e" : "a"))
            return false;
    }
    return true;
}

static const char *vowel_str(uint8_t v)
{
    static const char *const s[] = {"", "", "a", "e", "i", "o", "u"};
    return v < sizeof s / sizeof s[0] ? s[v] : "";
}

/* A shva on the first letter is said (e) when the letter is י, doubled, or
 * before a guttural: יְרוּשָׁלַיִם -> yerushalayim. */
static bool shva_na(const struct word *w, size_t from, size_t to, size_t i)
{
    unsigned c = w->l[i].cp, next = i + 1 < to ? w->l[i + 1].cp : 0;
    return i == from && w->l[i].vowel == V_SHVA && next != 0 &&
           (c == YOD || next == c || next == ALEF || next == HE || next == HET || next == AYIN);
}

/* The consonant part of pointed letter i of [from, to); *v is set to the
 * vowel read after it. */
static const char *pointed_letter(const struct word *w, size_t from, size_t to, size_t i,
                                  const char **v)
{
    const struct letter *l = &w->l[i];
    const struct letter *p = i > from ? &w->l[i - 1] : NULL;
    bool bare = l->vowel == V_NONE || l->vowel == V_SHVA;
    *v = shva_na(w, from, to, i) ? "e" : vowel_str(l->vowel);
    if (l->cp == VAV && l->vowel == V_O && !l->haser)
        return ""; /* holam male */
    if (l->cp == VAV && bare && l->dagesh) {
        *v = "u"; /* shuruq */
        return "";
    }
    if (l->cp == VAV && l->vowel == V_NONE && p != NULL) {
        bool mater = p->vowel == V_O || p->vowel == V_U;
        if (!mater && p->vowel != V_NONE && p->vowel != V_SHVA)
            return "v";
        *v = mater ? "" : "o";
        return "";
    }
    if (l->cp == YOD && l->vowel == V_NONE && p != NULL) {
        *v = p->vowel == V_I ? "" : "i"; /* a mater, or ai ei oi */
        return "";
    }
    if (l->cp == HE && i + 1 == to && i > from && !l->dagesh)
        return "";
    return consonant(l, i > from && !l->dagesh);
}

/* Pointed letters [from, to), read from their points. */
static bool spell_pointed(const struct word *w, size_t from, size_t to, char *out, size_t outsz,
                          size_t *o)
{
    for (size_t i = from; i < to; i++) {
        const struct letter *l = &w->l[i];
        const char *v, *c = pointed_letter(w, from, to, i, &v);
        bool furtive = i + 1 == to && i > from && l->vowel == V_A &&
                       (l->cp == HET || l->cp == AYIN || (l->cp == HE && l->dagesh));
        if (!names_script_put(out, outsz, o, furtive ? v : c) ||
            !names_script_put(out, outsz, o, furtive ? c : v))
            return false;
    }
    return true;
}

static bool spell_letters(const struct word *w, size_t from, size_t to, bool ashk, bool open,
                          char *out, size_t outsz, size_t *o)
{
    if (w->vocalised)
        return spell_pointed(w, from, to, out, outsz, o);
    return spell_plain(w, from, to, ashk, open, out, outsz, o);
}

/* Ashkenazi surname endings, longest first. */
static const struct {
    unsigned s[5];
    size_t n;
    const char *lat;
} suffixes[] = {
    {{SHIN, TET, YOD, YOD, NUN}, 5, "stein"},
    {{SHIN, TET, YOD, NUN}, 4, "stein"},
    {{VAV, BET, YOD, TSADI}, 4, "ovitz"},
    {{BET, VAV, RESH, GIMEL}, 4, "burg"},
    {{BET, ALEF, VAV, MEM}, 4, "baum"},
    {{BET, RESH, GIMEL}, 3, "berg"},
    {{PE, LAMED, DALET}, 3, "feld"},
    {{SAMEKH, QOF, YOD}, 3, "ski"},
    {{MEM, NUN}, 2, "man"},
};

static bool ends_with(const struct word *w, const unsigned *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w->l[w->n - n + i].cp != s[i])
            return false;
    return true;
}

/* One word: the lexicon, then a stem and an Ashkenazi suffix, then letter
 * by letter. */
static bool spell_word(const struct word *w, char *out, size_t outsz, size_t *o)
{
    char key[KEY_MAX];
    key_of(w, 0, w->n, key);
    const struct lex *e = lookup(key);
    if (e != NULL)
        return names_script_put(out, outsz, o, e->lat);
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        size_t n = suffixes[k].n, stem = w->n - n;
        if (w->n < n + 2 || !ends_with(w, suffixes[k].s, n))
            continue;
        const char *lat = suffixes[k].lat;
        if (suffixes[k].s[n - 1] == TSADI && w->l[w->n - 1].geresh)
            lat = "ovich";
        key_of(w, 0, stem, key);
        e = lookup(key);
        if (e != NULL ? !names_script_put(out, outsz, o, e->lat)
                      : !spell_letters(w, 0, stem, true, lat[0] == 'o', out, outsz, o))
            return false;
        return names_script_put(out, outsz, o, lat);
    }
    return spell_letters(w, 0, w->n, false, false, out, outsz, o);
}

static bool has_letter(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_letter(heb_at(s, len, i)))
            return true;
    return false;
}

static bool put_byte(char *out, size_t outsz, size_t *o, unsigned char b)
{
    if (*o + 1 >= outsz)
        return false;
    out[(*o)++] = (char)b;
    out[*o] = '\0';
    return true;
}

int names_hebrew_reading(const char *s, size_t len, char *out, size_t outsz)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    if (!has_letter(u, len))
        return 0;
    if (outsz == 0)
        return -1;
    out[0] = '\0';
    for (size_t i = 0; i < len;) {
        unsigned c = heb_at(u, len, i);
        bool ok = true;
        if (is_letter(c)) {
            struct word w;
            ok = read_word(u, len, i, &w, &i) && spell_word(&w, out, outsz, &o);
        } else if (c != 0) {
            ok = !is_sep(c) || names_script_put(out, outsz, &o, " ");
            i += 2; /* other marks and signs are dropped */
        } else {
            ok = put_byte(out, outsz, &o, u[i++]);
        }
        if (!ok) {
            out[0] = '\0';
            return -1;
        }
    }
    return 1;
}
