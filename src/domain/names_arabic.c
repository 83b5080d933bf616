/* names_arabic: romanisation of personal names written in Arabic script
 * (Arabic, Persian and Urdu letters), without ICU.
 *
 * Arabic script writes no short vowels, so ICU's Arabic-Latin gives
 * consonant skeletons (محمد علي -> mhmd ly) that meet a Latin list only by
 * skeleton. Here, for one word (already NFKC-folded by names_normalise):
 *
 *  - a lexicon of about 600 common given-name and family-name words maps
 *    the word, folded (hamza forms to ا, ى ی ئ to ي, ک to ك, ة ۀ ہ to ه,
 *    ؤ to و; harakat, tatweel, hamza and joiners dropped), to the spelling
 *    most seen in passports and lists (محمد -> mohamed, خالد -> khaled);
 *    a word written with Persian letters (ی ک پ چ ژ گ) takes the Persian
 *    spelling where one is given (حسین -> hossein);
 *  - the article ال before a word not in the lexicon is written "al" as a
 *    token of its own (الحسن -> al hasan), which names_token treats as a
 *    particle and the matcher joins (Alhasan) or pairs (Al-Hasan, ar-,
 *    ul-); after عبد the divine names drop it (عبدالرحمن -> abd rahman,
 *    matching Abdul Rahman, Abdulrahman, Abdurrahman), and الله and الدين
 *    are written ullah and uddin (عبد الله -> abd ullah, joined: abdullah);
 *    a word ending in الله / الدين, or starting with عبد or ابو, is split
 *    the same way;
 *  - any other word is romanised letter by letter (ث th, ذ dh, ض d, ع and
 *    ء silent, ق q; in a Persian word ث s, ذ ض z, ق gh, و v), ا و ي
 *    between consonants being long a u i, and the short vowels that are
 *    written (fatha, kasra, damma, shadda, sukun) used. Where none is
 *    written, an a is put after a first consonant followed by another
 *    (nasr, fahd), an i after the consonant that follows a long a when
 *    another consonant comes next (خالد -> khalid, فاطمة -> fatima), and
 *    an a before a final consonant after a cluster (احمد -> ahmad,
 *    جعفر -> jafar); ي after a first consonant is the diphthong ai (زيد ->
 *    zaid); a word of the shape اCتCاC is iCtiCaC (اعتماد -> itimad).
 *    These are guesses: a word outside the lexicon is usually one
 *    letter away from its listed spelling, which the matcher's typo and
 *    skeleton comparisons absorb.
 * A word holding anything else (Latin letters, digits, punctuation,
 * presentation forms NFKC left, an Arabic letter not mapped here) returns
 * 0 and is left to ICU. Pure; no allocation. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "domain/names_arabic.h"
#include "domain/names_script.h"

#define MAX_CPS 64
#define KEY_MAX (MAX_CPS * 2 + 1)

/* Lexicon: folded key (UTF-8, sorted by bytes), the usual spelling, and the
 * Persian one when it differs (NULL otherwise). */
static const struct lex {
    const char *key, *lat, *fa;
} lexicon[] = {
    {"ابتسام", "ibtisam", NULL},
    {"ابراهيم", "ibrahim", NULL},
    {"ابراهيمي", "ebrahimi", NULL},
    {"ابن", "ibn", NULL},
    {"ابو", "abu", NULL},
    {"ابوبكر", "abu bakr", NULL},
    {"ابي", "abi", NULL},
    {"اجمل", "ajmal", NULL},
    {"احسان", "ehsan", NULL},
    {"احسن", "ahsan", NULL},
    {"احمد", "ahmed", NULL},
    {"احمدشاه", "ahmadshah", NULL},
    {"احمدي", "ahmadi", NULL},
    {"اخندزاده", "akhundzada", NULL},
    {"اخوند", "akhund", NULL},
    {"ادريس", "idris", NULL},
    {"ادم", "adam", NULL},
    {"اديب", "adib", NULL},
    {"ارش", "arash", NULL},
    {"ارشد", "arshad", NULL},
    {"اسامه", "osama", NULL},
    {"اسحاق", "ishaq", NULL},
    {"اسد", "asad", NULL},
    {"اسرا", "israa", NULL},
    {"اسعد", "asad", NULL},
    {"اسلم", "aslam", NULL},
    {"اسما", "asma", NULL},
    {"اسماعيل", "ismail", NULL},
    {"اشتياق", "ishtiaq", NULL},
    {"اشرف", "ashraf", NULL},
    {"اصغر", "asghar", NULL},
    {"اصفهاني", "isfahani", NULL},
    {"اعجاز", "ijaz", NULL},
    {"اعظم", "azam", NULL},
    {"افتخار", "iftikhar", NULL},
    {"افضل", "afzal", NULL},
    {"اقبال", "iqbal", NULL},
    {"اكبر", "akbar", NULL},
    {"اكبري", "akbari", NULL},
    {"اكرم", "akram", NULL},
    {"ال", "al", NULL},
    {"الاله", "ilah", NULL},
    {"الامير", "amir", NULL},
    {"الباري", "bari", NULL},
    {"الباسط", "basit", NULL},
    {"الجبار", "jabbar", NULL},
    {"الجليل", "jalil", NULL},
    {"الحق", "haq", NULL},
    {"الحكيم", "hakim", NULL},
    {"الحليم", "halim", NULL},
    {"الحميد", "hamid", NULL},
    {"الحي", "hai", NULL},
    {"الخالق", "khaliq", NULL},
    {"الدين", "uddin", NULL},
    {"الرحمن", "rahman", NULL},
    {"الرحيم", "rahim", NULL},
    {"الرزاق", "razzaq", NULL},
    {"الروف", "rauf", NULL},
    {"الرووف", "rauf", NULL},
    {"الستار", "sattar", NULL},
    {"السلام", "salam", NULL},
    {"الشكور", "shakur", NULL},
    {"الصمد", "samad", NULL},
    {"العزيز", "aziz", NULL},
    {"الغفار", "ghaffar", NULL},
    {"الغني", "ghani", NULL},
    {"الفتاح", "fattah", NULL},
    {"القادر", "qadir", NULL},
    {"القيوم", "qayyum", NULL},
    {"الكريم", "karim", NULL},
    {"اللطيف", "latif", NULL},
    {"الله", "ullah", NULL},
    {"المجيد", "majid", NULL},
    {"المحسن", "mohsen", NULL},
    {"المطلب", "muttalib", NULL},
    {"الملك", "malik", NULL},
    {"المنعم", "munim", NULL},
    {"الناز", "elnaz", NULL},
    {"الناصر", "nasser", NULL},
    {"الهادي", "hadi", NULL},
    {"الهام", "elham", NULL},
    {"الهه", "elaheh", NULL},
    {"الواحد", "wahid", NULL},
    {"الودود", "wadud", NULL},
    {"الوهاب", "wahab", NULL},
    {"الياس", "ilyas", NULL},
    {"ام", "umm", NULL},
    {"امتياز", "imtiaz", NULL},
    {"امجد", "amjad", NULL},
    {"امنه", "amina", NULL},
    {"اميد", "omid", NULL},
    {"امير", "amir", NULL},
    {"اميرحسين", "amirhossein", NULL},
    {"اميره", "amira", NULL},
    {"اميري", "amiri", NULL},
    {"امين", "amin", NULL},
    {"امينه", "amina", NULL},
    {"انتظار", "intizar", NULL},
    {"انس", "anas", NULL},
    {"انصاري", "ansari", NULL},
    {"انعام", "inam", NULL},
    {"انور", "anwar", NULL},
    {"انيس", "anis", NULL},
    {"اياد", "iyad", NULL},
    {"ايمان", "iman", NULL},
    {"ايمن", "ayman", NULL},
    {"ايهاب", "ihab", NULL},
    {"ايوب", "ayub", NULL},
    {"بابك", "babak", NULL},
    {"باسل", "basil", NULL},
    {"باسم", "basim", NULL},
    {"باقري", "bagheri", "bagheri"},
    {"بخاري", "bukhari", NULL},
    {"بدر", "badr", NULL},
    {"بدري", "badri", NULL},
    {"بري", "berri", NULL},
    {"بشار", "bashar", NULL},
    {"بشري", "bushra", NULL},
    {"بشير", "bashir", NULL},
    {"بغدادي", "baghdadi", NULL},
    {"بكر", "bakr", NULL},
    {"بلال", "bilal", NULL},
    {"بن", "bin", NULL},
    {"بنت", "bint", NULL},
    {"بهرام", "bahram", NULL},
    {"بهروز", "behrouz", NULL},
    {"بيك", "beg", NULL},
    {"بيگ", "beg", NULL},
    {"بيگم", "begum", NULL},
    {"بٹ", "butt", NULL},
    {"تامر", "tamer", NULL},
    {"تكريتي", "tikriti", NULL},
    {"تميم", "tamim", NULL},
    {"تميمي", "tamimi", NULL},
    {"تهراني", "tehrani", NULL},
    {"توفيق", "tawfiq", NULL},
    {"ثامر", "thamer", NULL},
    {"ثاني", "thani", NULL},
    {"جابر", "jabir", NULL},
    {"جاسم", "jasim", NULL},
    {"جان", "jan", NULL},
    {"جاويد", "javed", NULL},
    {"جبريل", "jibril", NULL},
    {"جبوري", "jubouri", NULL},
    {"جعجع", "geagea", NULL},
    {"جعفر", "jafar", NULL},
    {"جعفري", "jafari", NULL},
    {"جلال", "jalal", NULL},
    {"جمال", "jamal", NULL},
    {"جمشيد", "jamshid", NULL},
    {"جميل", "jamil", NULL},
    {"جميله", "jamila", NULL},
    {"جنبلاط", "jumblatt", NULL},
    {"جواد", "jawad", "javad"},
    {"جيلاني", "jilani", NULL},
    {"حاتم", "hatim", NULL},
    {"حاج", "haj", NULL},
    {"حاجي", "haji", NULL},
    {"حازم", "hazim", NULL},
    {"حافظ", "hafiz", NULL},
    {"حامد", "hamid", "hamed"},
    {"حبيب", "habib", NULL},
    {"حجي", "haji", NULL},
    {"حربي", "harbi", NULL},
    {"حريري", "hariri", NULL},
    {"حسام", "hussam", NULL},
    {"حسان", "hassan", NULL},
    {"حسن", "hassan", NULL},
    {"حسني", "husni", NULL},
    {"حسين", "hussein", "hossein"},
    {"حسيني", "husseini", "hosseini"},
    {"حقاني", "haqqani", NULL},
    {"حكمتيار", "hekmatyar", NULL},
    {"حكيم", "hakim", NULL},
    {"حلبي", "halabi", NULL},
    {"حليمه", "halima", NULL},
    {"حمد", "hamad", NULL},
    {"حمدان", "hamdan", NULL},
    {"حمدي", "hamdi", NULL},
    {"حمزه", "hamza", NULL},
    {"حمود", "hamoud", NULL},
    {"حميد", "hamid", NULL},
    {"حميدرضا", "hamidreza", NULL},
    {"حنان", "hanan", NULL},
    {"حيدر", "haidar", "heidar"},
    {"حيدري", "heidari", "heidari"},
    {"خالد", "khaled", NULL},
    {"خالدي", "khalidi", NULL},
    {"خامنيي", "khamenei", NULL},
    {"خان", "khan", NULL},
    {"خديجه", "khadija", NULL},
    {"خزرجي", "khazraji", NULL},
    {"خضر", "khidr", NULL},
    {"خلف", "khalaf", NULL},
    {"خليفه", "khalifa", NULL},
    {"خليل", "khalil", NULL},
    {"خميني", "khomeini", NULL},
    {"خير", "khair", NULL},
    {"داريوش", "dariush", NULL},
    {"داود", "dawud", NULL},
    {"داوود", "dawud", NULL},
    {"دليمي", "dulaimi", NULL},
    {"دمشقي", "dimashqi", NULL},
    {"دوستم", "dostum", NULL},
    {"دوسري", "dosari", NULL},
    {"دين", "din", NULL},
    {"دينا", "dina", NULL},
    {"ذوالفقار", "zulfiqar", NULL},
    {"ذياب", "dhiyab", NULL},
    {"راجا", "raja", NULL},
    {"راشد", "rashid", NULL},
    {"رامي", "rami", NULL},
    {"رانا", "rana", NULL},
    {"رانيا", "rania", NULL},
    {"راوي", "rawi", NULL},
    {"رايد", "raed", NULL},
    {"رباني", "rabbani", NULL},
    {"رجب", "rajab", NULL},
    {"رحمان", "rahman", NULL},
    {"رحمن", "rahman", NULL},
    {"رحمه", "rahma", NULL},
    {"رحيم", "rahim", NULL},
    {"رحيمي", "rahimi", NULL},
    {"رستم", "rostam", NULL},
    {"رستمي", "rostami", NULL},
    {"رشا", "rasha", NULL},
    {"رشاد", "rashad", NULL},
    {"رشيد", "rashid", NULL},
    {"رضا", "reza", NULL},
    {"رضايي", "rezaei", "rezaei"},
    {"رضوان", "ridwan", NULL},
    {"رضوي", "rizvi", NULL},
    {"رعد", "raad", NULL},
    {"رفيق", "rafiq", NULL},
    {"رقيه", "ruqaya", NULL},
    {"ركان", "rakan", NULL},
    {"رمضان", "ramadan", NULL},
    {"روح", "rouh", NULL},
    {"روحاني", "rouhani", NULL},
    {"روف", "rauf", NULL},
    {"رووف", "rauf", NULL},
    {"رياض", "riyad", NULL},
    {"ريم", "reem", NULL},
    {"ريمي", "rimi", NULL},
    {"زاده", "zadeh", NULL},
    {"زاهر", "zaher", NULL},
    {"زبيدي", "zubaidi", NULL},
    {"زرقاوي", "zarqawi", NULL},
    {"زكريا", "zakaria", NULL},
    {"زهرا", "zahra", NULL},
    {"زهراني", "zahrani", NULL},
    {"زهره", "zahra", NULL},
    {"زهير", "zuhair", NULL},
    {"زياد", "ziad", NULL},
    {"زيد", "zaid", NULL},
    {"زيدي", "zaidi", NULL},
    {"زينب", "zainab", "zeinab"},
    {"ساجد", "sajid", NULL},
    {"سارا", "sara", NULL},
    {"ساره", "sara", NULL},
    {"سالم", "salem", NULL},
    {"سامر", "samer", NULL},
    {"سامرايي", "samarrai", NULL},
    {"سامي", "sami", NULL},
    {"سراج", "siraj", NULL},
    {"سعاد", "suad", NULL},
    {"سعد", "saad", NULL},
    {"سعود", "saud", NULL},
    {"سعيد", "said", "saeed"},
    {"سفيان", "sufyan", NULL},
    {"سلام", "salam", NULL},
    {"سلامه", "salama", NULL},
    {"سلطان", "sultan", NULL},
    {"سلمان", "salman", NULL},
    {"سلمي", "salma", NULL},
    {"سليم", "salim", NULL},
    {"سليمان", "suleiman", "soleiman"},
    {"سليماني", "soleimani", "soleimani"},
    {"سمير", "samir", NULL},
    {"سميره", "samira", NULL},
    {"سميه", "sumaya", "somayeh"},
    {"سنا", "sanaa", NULL},
    {"سنوار", "sinwar", NULL},
    {"سهراب", "sohrab", NULL},
    {"سهيل", "suhail", NULL},
    {"سوري", "suri", NULL},
    {"سوسن", "sawsan", NULL},
    {"سياف", "sayyaf", NULL},
    {"سيد", "sayed", NULL},
    {"سيدي", "sidi", NULL},
    {"سيسي", "sisi", NULL},
    {"سيف", "saif", NULL},
    {"سيما", "sima", NULL},
    {"شادي", "shadi", NULL},
    {"شاكر", "shakir", NULL},
    {"شامي", "shami", NULL},
    {"شاه", "shah", NULL},
    {"شاهد", "shahid", NULL},
    {"شريف", "sharif", NULL},
    {"شعبان", "shaban", NULL},
    {"شفيق", "shafiq", NULL},
    {"شكور", "shakur", NULL},
    {"شمري", "shammari", NULL},
    {"شمس", "shams", NULL},
    {"شهاب", "shihab", NULL},
    {"شهباز", "shahbaz", NULL},
    {"شهرام", "shahram", NULL},
    {"شهري", "shehri", NULL},
    {"شهيد", "shahid", NULL},
    {"شوقي", "shawqi", NULL},
    {"شيخ", "sheikh", NULL},
    {"شيرازي", "shirazi", NULL},
    {"شيرين", "shirin", NULL},
    {"شيما", "shaima", NULL},
    {"صابر", "sabir", NULL},
    {"صادق", "sadiq", NULL},
    {"صادقي", "sadeghi", "sadeghi"},
    {"صالح", "saleh", NULL},
    {"صباح", "sabah", NULL},
    {"صبري", "sabri", NULL},
    {"صدام", "saddam", NULL},
    {"صدر", "sadr", NULL},
    {"صديق", "siddiq", NULL},
    {"صديقه", "sedigheh", NULL},
    {"صديقي", "siddiqui", NULL},
    {"صفوان", "safwan", NULL},
    {"صفيه", "safiya", NULL},
    {"صلاح", "salah", NULL},
    {"ضيا", "zia", NULL},
    {"ضيف", "deif", NULL},
    {"طارق", "tariq", NULL},
    {"طاهر", "tahir", NULL},
    {"طاهره", "tahereh", NULL},
    {"طاهري", "taheri", NULL},
    {"طلال", "talal", NULL},
    {"طلحه", "talha", NULL},
    {"طه", "taha", NULL},
    {"ظاهر", "zahir", NULL},
    {"ظاهرشاه", "zahirshah", NULL},
    {"ظفر", "zafar", NULL},
    {"ظواهري", "zawahiri", NULL},
    {"عابد", "abid", NULL},
    {"عادل", "adel", NULL},
    {"عارف", "arif", NULL},
    {"عاشور", "ashour", NULL},
    {"عاصم", "asim", NULL},
    {"عاطف", "atef", NULL},
    {"عامر", "amer", NULL},
    {"عاني", "ani", NULL},
    {"عايشه", "aisha", NULL},
    {"عباده", "ubada", NULL},
    {"عباس", "abbas", NULL},
    {"عباسي", "abbasi", NULL},
    {"عبد", "abd", NULL},
    {"عبدالله", "abdullah", NULL},
    {"عبده", "abdo", NULL},
    {"عبدو", "abdo", NULL},
    {"عبيد", "ubaid", NULL},
    {"عبيده", "ubaida", NULL},
    {"عبيدي", "obaidi", NULL},
    {"عبير", "abir", NULL},
    {"عتيبي", "otaibi", NULL},
    {"عثمان", "osman", NULL},
    {"عدل", "adl", NULL},
    {"عدنان", "adnan", NULL},
    {"عدي", "uday", NULL},
    {"عراقي", "iraqi", NULL},
    {"عرفات", "arafat", NULL},
    {"عرفان", "irfan", NULL},
    {"عز", "izz", NULL},
    {"عزام", "azzam", NULL},
    {"عزت", "izzat", NULL},
    {"عزيز", "aziz", NULL},
    {"عزيزي", "azizi", NULL},
    {"عسيري", "asiri", NULL},
    {"عصام", "issam", NULL},
    {"عطا", "ata", NULL},
    {"عقيل", "aqil", NULL},
    {"علا", "alaa", NULL},
    {"علوي", "alavi", NULL},
    {"علي", "ali", NULL},
    {"عليرضا", "alireza", NULL},
    {"عماد", "imad", NULL},
    {"عمار", "ammar", NULL},
    {"عمر", "omar", NULL},
    {"عمران", "imran", NULL},
    {"عمرو", "amr", NULL},
    {"عمير", "umair", NULL},
    {"عنزي", "anazi", NULL},
    {"عوض", "awad", NULL},
    {"عولقي", "awlaki", NULL},
    {"عون", "aoun", NULL},
    {"عيد", "eid", NULL},
    {"عيسي", "isa", NULL},
    {"غاده", "ghada", NULL},
    {"غازي", "ghazi", NULL},
    {"غالب", "ghalib", NULL},
    {"غامدي", "ghamdi", NULL},
    {"غسان", "ghassan", NULL},
    {"غفور", "ghafoor", NULL},
    {"غلام", "ghulam", NULL},
    {"غلامرضا", "gholamreza", NULL},
    {"غلامعلي", "gholamali", NULL},
    {"فادي", "fadi", NULL},
    {"فارس", "faris", NULL},
    {"فاضل", "fadil", NULL},
    {"فاطمه", "fatima", "fatemeh"},
    {"فايز", "fayez", NULL},
    {"فتح", "fath", NULL},
    {"فتحي", "fathi", NULL},
    {"فر", "far", NULL},
    {"فراس", "firas", NULL},
    {"فرج", "faraj", NULL},
    {"فرهاد", "farhad", NULL},
    {"فريد", "farid", NULL},
    {"فريدون", "fereydoun", NULL},
    {"فضل", "fadl", NULL},
    {"فقير", "faqir", NULL},
    {"فهد", "fahd", NULL},
    {"فهمي", "fahmi", NULL},
    {"فواد", "fuad", NULL},
    {"فواز", "fawaz", NULL},
    {"فوزي", "fawzi", NULL},
    {"فيصل", "faisal", NULL},
    {"قادر", "qadir", NULL},
    {"قاسم", "qasim", "ghasem"},
    {"قاسمي", "ghasemi", "ghasemi"},
    {"قاضي", "qazi", NULL},
    {"قحطان", "qahtan", NULL},
    {"قحطاني", "qahtani", NULL},
    {"قدري", "qadri", NULL},
    {"قذافي", "qaddafi", NULL},
    {"قرباني", "ghorbani", "ghorbani"},
    {"قرشي", "qurashi", NULL},
    {"قريشي", "qureshi", NULL},
    {"قصي", "qusay", NULL},
    {"قطب", "qutb", NULL},
    {"قيس", "qais", NULL},
    {"كاظم", "kazim", "kazem"},
    {"كاظمي", "kazemi", NULL},
    {"كامران", "kamran", NULL},
    {"كامل", "kamil", NULL},
    {"كرزي", "karzai", NULL},
    {"كرماني", "kermani", NULL},
    {"كريم", "karim", NULL},
    {"كريمه", "karima", NULL},
    {"كريمي", "karimi", NULL},
    {"كمال", "kamal", NULL},
    {"كورش", "kourosh", NULL},
    {"كوروش", "kourosh", NULL},
    {"كويتي", "kuwaiti", NULL},
    {"كيوان", "keyvan", NULL},
    {"لادن", "laden", NULL},
    {"لبيب", "labib", NULL},
    {"لطفي", "lutfi", NULL},
    {"لطيف", "latif", NULL},
    {"لقمان", "luqman", NULL},
    {"لوي", "luay", NULL},
    {"ليبي", "libi", NULL},
    {"ليث", "laith", NULL},
    {"ليلا", "leila", NULL},
    {"ليلي", "layla", "leila"},
    {"لينا", "lina", NULL},
    {"ماجد", "majid", NULL},
    {"مازن", "mazen", NULL},
    {"مالك", "malik", NULL},
    {"مالكي", "maliki", NULL},
    {"مامون", "mamun", NULL},
    {"ماهر", "maher", NULL},
    {"مبارك", "mubarak", NULL},
    {"مجاهد", "mujahid", NULL},
    {"مجتبي", "mojtaba", "mojtaba"},
    {"مجدي", "magdi", NULL},
    {"مجيد", "majid", NULL},
    {"محسن", "mohsen", "mohsen"},
    {"محفوظ", "mahfouz", NULL},
    {"محمد", "mohamed", NULL},
    {"محمدرضا", "mohammadreza", NULL},
    {"محمدعلي", "mohammadali", NULL},
    {"محمدي", "mohammadi", NULL},
    {"محمود", "mahmoud", NULL},
    {"محي", "muhi", NULL},
    {"محيي", "muhyi", NULL},
    {"مختار", "mukhtar", NULL},
    {"مدحت", "midhat", NULL},
    {"مراد", "murad", NULL},
    {"مرادي", "moradi", NULL},
    {"مرتضي", "murtaza", "morteza"},
    {"مرشد", "murshid", NULL},
    {"مرضيه", "marzieh", NULL},
    {"مروان", "marwan", NULL},
    {"مريم", "maryam", NULL},
    {"مسعود", "masoud", NULL},
    {"مسلم", "muslim", NULL},
    {"مشتاق", "mushtaq", NULL},
    {"مشعل", "mishal", NULL},
    {"مصري", "masri", NULL},
    {"مصطفي", "mustafa", "mostafa"},
    {"مصعب", "musab", NULL},
    {"مصلح", "muslih", NULL},
    {"مطيري", "mutairi", NULL},
    {"معاذ", "muadh", NULL},
    {"معاويه", "muawiya", NULL},
    {"معتز", "mutaz", NULL},
    {"معصومه", "masoumeh", NULL},
    {"معين", "moin", NULL},
    {"مقدسي", "maqdisi", NULL},
    {"مكتوم", "maktoum", NULL},
    {"ملا", "mullah", NULL},
    {"ملالي", "malalai", NULL},
    {"ملك", "malik", NULL},
    {"منذر", "munther", NULL},
    {"منصور", "mansour", NULL},
    {"منظور", "manzoor", NULL},
    {"منوچهر", "manouchehr", NULL},
    {"مني", "mona", NULL},
    {"منير", "munir", NULL},
    {"منيره", "munira", NULL},
    {"منيژه", "manijeh", NULL},
    {"مهدي", "mahdi", "mehdi"},
    {"مهر", "mehr", NULL},
    {"مهناز", "mahnaz", NULL},
    {"مهند", "muhannad", NULL},
    {"موسوي", "mousavi", "mousavi"},
    {"موسي", "musa", "mousa"},
    {"مولاي", "moulay", NULL},
    {"مولوي", "mawlawi", NULL},
    {"مومن", "mumin", NULL},
    {"مير", "mir", NULL},
    {"ميرزا", "mirza", NULL},
    {"مينا", "mina", NULL},
    {"مژگان", "mojgan", NULL},
    {"نادر", "nader", NULL},
    {"ناديه", "nadia", NULL},
    {"ناصر", "nasser", "naser"},
    {"ناظم", "nazim", NULL},
    {"ناهيد", "nahid", NULL},
    {"نبي", "nabi", NULL},
    {"نبيل", "nabil", NULL},
    {"نجفي", "najafi", NULL},
    {"نجلا", "najla", NULL},
    {"نجم", "najm", NULL},
    {"نجيب", "najib", NULL},
    {"نذير", "nazir", NULL},
    {"نرگس", "narges", NULL},
    {"نزار", "nizar", NULL},
    {"نسرين", "nasrin", NULL},
    {"نشات", "nashat", NULL},
    {"نصر", "nasr", NULL},
    {"نصير", "nasir", NULL},
    {"نعمان", "numan", NULL},
    {"نعيم", "naim", NULL},
    {"نقوي", "naqvi", NULL},
    {"نهيان", "nahyan", NULL},
    {"نواز", "nawaz", NULL},
    {"نواف", "nawaf", NULL},
    {"نوح", "nuh", NULL},
    {"نور", "nur", NULL},
    {"نورا", "noura", NULL},
    {"نوره", "noura", NULL},
    {"نوري", "nuri", "nouri"},
    {"نيما", "nima", NULL},
    {"نژاد", "nejad", NULL},
    {"هادي", "hadi", NULL},
    {"هارون", "harun", NULL},
    {"هاشم", "hashim", NULL},
    {"هاشمي", "hashimi", "hashemi"},
    {"هاني", "hani", NULL},
    {"هانيه", "hanieh", NULL},
    {"هدي", "huda", NULL},
    {"هشام", "hisham", NULL},
    {"هلال", "hilal", NULL},
    {"همام", "hammam", NULL},
    {"هند", "hind", NULL},
    {"هنيه", "haniyeh", NULL},
    {"هيبت", "haibat", NULL},
    {"هيثم", "haitham", NULL},
    {"وايل", "wael", NULL},
    {"وحيد", "wahid", "vahid"},
    {"وسيم", "wasim", NULL},
    {"وصفي", "wasfi", NULL},
    {"وفا", "wafaa", NULL},
    {"ولي", "wali", NULL},
    {"وليد", "walid", NULL},
    {"ياسر", "yasser", NULL},
    {"ياسمين", "yasmin", NULL},
    {"ياسين", "yassin", NULL},
    {"يحيي", "yahya", NULL},
    {"يزدي", "yazdi", NULL},
    {"يزيد", "yazid", NULL},
    {"يسري", "yusri", NULL},
    {"يعقوب", "yaqub", NULL},
    {"يمني", "yemeni", NULL},
    {"يوسف", "yusuf", "yousef"},
    {"يونس", "yunus", NULL},
    {"يونسي", "younisi", NULL},
    {"پرويز", "parvez", "parviz"},
    {"پروين", "parvin", NULL},
    {"پور", "pour", NULL},
    {"پيمان", "peyman", NULL},
    {"چودهري", "chaudhry", NULL},
    {"چوهدري", "chaudhry", NULL},
    {"گل", "gul", NULL},
    {"گلناز", "golnaz", NULL},
    {"گيلاني", "gilani", NULL},
};

enum { V_NONE = 0, V_A, V_I, V_U, V_SUKUN };
enum { M_AR = 0, M_FA, M_UR };

enum {
    HAMZA = 0x0621, ALEF = 0x0627, BEH = 0x0628, DAL = 0x062F, AIN = 0x0639, LAM = 0x0644,
    HEH = 0x0647, WAW = 0x0648, MAQSURA = 0x0649, YEH = 0x064A, KAF = 0x0643,
};

struct letter {
    unsigned cp;
    uint8_t mark; /* written short vowel or sukun: V_* */
    bool shadda;
};

struct word {
    size_t n;
    int mode;       /* M_*: Persian and Urdu letters change some readings */
    bool vocalised; /* some short vowel is written */
    struct letter l[MAX_CPS];
};

/* One unit of the letter-by-letter reading. */
struct unit {
    const char *s;
    bool cons;  /* a consonant (ع and ء are silent ones) */
    bool longv; /* a long vowel written with ا و ي */
    bool alef;  /* that vowel is ا */
    uint8_t mark;
    bool shadda;
};

static bool in_set(unsigned c, const unsigned *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == c)
            return true;
    return false;
}

static const unsigned alefs[] = {0x0622, 0x0623, 0x0625, 0x0627, 0x0671, 0x0672, 0x0673};
static const unsigned waws[] = {0x0624, 0x0648, 0x06C6, 0x06C7, 0x06C8, 0x06CB};
static const unsigned yehs[] = {0x0626, 0x0649, 0x064A, 0x06CC, 0x06CD, 0x06CE,
                                0x06D0, 0x06D2, 0x06D3};
static const unsigned hehs[] = {0x0629, 0x0647, 0x06BE, 0x06C0, 0x06C1, 0x06C2, 0x06C3, 0x06D5};

/* The consonants: Arabic reading, and the Persian one where it differs. */
static const struct {
    unsigned cp;
    const char *ar, *fa;
} consonants[] = {
    {0x0621, "", NULL},    {0x0628, "b", NULL},  {0x062A, "t", NULL},   {0x062B, "th", "s"},
    {0x062C, "j", NULL},   {0x062D, "h", NULL},  {0x062E, "kh", NULL},  {0x062F, "d", NULL},
    {0x0630, "dh", "z"},   {0x0631, "r", NULL},  {0x0632, "z", NULL},   {0x0633, "s", NULL},
    {0x0634, "sh", NULL},  {0x0635, "s", NULL},  {0x0636, "d", "z"},    {0x0637, "t", NULL},
    {0x0638, "z", NULL},   {0x0639, "", NULL},   {0x063A, "gh", NULL},  {0x0641, "f", NULL},
    {0x0642, "q", "gh"},   {0x0643, "k", NULL},  {0x0644, "l", NULL},   {0x0645, "m", NULL},
    {0x0646, "n", NULL},   {0x0679, "t", NULL},  {0x067C, "t", NULL},   {0x067E, "p", NULL},
    {0x0686, "ch", NULL},  {0x0688, "d", NULL},  {0x0689, "d", NULL},   {0x0691, "r", NULL},
    {0x0693, "r", NULL},   {0x0695, "r", NULL},  {0x0696, "zh", NULL},  {0x0698, "zh", NULL},
    {0x069A, "sh", NULL},  {0x06A4, "v", NULL},  {0x06A8, "g", NULL},   {0x06A9, "k", NULL},
    {0x06AA, "k", NULL},   {0x06AB, "g", NULL},  {0x06AF, "g", NULL},   {0x06B5, "l", NULL},
    {0x06BA, "n", NULL},   {0x06BC, "n", NULL},
};

static const char *consonant(unsigned c, int mode)
{
    size_t lo = 0, hi = sizeof consonants / sizeof consonants[0];
    while (lo < hi) { /* sorted by code point */
        size_t mid = lo + (hi - lo) / 2;
        if (consonants[mid].cp == c)
            return mode != M_AR && consonants[mid].fa != NULL ? consonants[mid].fa
                                                              : consonants[mid].ar;
        if (consonants[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

#define IN(c, set) in_set((c), (set), sizeof(set) / sizeof((set)[0]))

static bool is_letter(unsigned c)
{
    return IN(c, alefs) || IN(c, waws) || IN(c, yehs) || IN(c, hehs) || consonant(c, M_AR) != NULL;
}

/* Combining marks: harakat, shadda, sukun, superscript alef, Quranic signs. */
static bool is_mark(unsigned c)
{
    return (c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
           (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E8) ||
           (c >= 0x06EA && c <= 0x06ED);
}

/* The letter as the lexicon keys it; 0 for one it leaves out (ء). */
static unsigned fold(unsigned c)
{
    if (c == HAMZA)
        return 0;
    if (IN(c, alefs))
        return ALEF;
    if (IN(c, yehs))
        return YEH;
    if (c == 0x06A9 || c == 0x06AA)
        return KAF;
    if (IN(c, hehs))
        return HEH;
    if (IN(c, waws))
        return WAW;
    return c;
}

/* Decodes one code point of two or three bytes at s[i]; its length, or 0. */
static size_t next_cp(const unsigned char *s, size_t len, size_t i, unsigned *cp)
{
    if ((s[i] & 0xE0) == 0xC0 && i + 2 <= len && (s[i + 1] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[i] & 0x1F) << 6 | (unsigned)(s[i + 1] & 0x3F);
        return *cp >= 0x80 ? 2 : 0;
    }
    if ((s[i] & 0xF0) == 0xE0 && i + 3 <= len && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[i] & 0x0F) << 12 | (unsigned)(s[i + 1] & 0x3F) << 6 |
              (unsigned)(s[i + 2] & 0x3F);
        return *cp >= 0x800 ? 3 : 0;
    }
    return 0;
}

/* Attaches mark c to the letter before it. */
static void add_mark(struct word *w, unsigned c)
{
    if (w->n == 0)
        return;
    struct letter *l = &w->l[w->n - 1];
    if (c == 0x0651)
        l->shadda = true;
    else if (c == 0x064E || c == 0x0670)
        l->mark = V_A;
    else if (c == 0x0650)
        l->mark = V_I;
    else if (c == 0x064F)
        l->mark = V_U;
    else if (c == 0x0652)
        l->mark = V_SUKUN;
    w->vocalised = w->vocalised || (l->mark != V_NONE && l->mark != V_SUKUN);
}

/* Reads w[0..len) into *out; false unless it is one word of Arabic letters
 * (with marks, tatweel and joiners). */
static bool decode(const char *w, size_t len, struct word *out)
{
    const unsigned char *s = (const unsigned char *)w;
    bool fa = false, ur = false;
    out->n = 0;
    out->vocalised = false;
    for (size_t i = 0, k; i < len; i += k) {
        unsigned c;
        if ((k = next_cp(s, len, i, &c)) == 0)
            return false;
        if (c == 0x200C || c == 0x200D || c == 0x0640)
            continue;
        if (is_mark(c)) {
            add_mark(out, c);
            continue;
        }
        if (!is_letter(c) || out->n == MAX_CPS)
            return false;
        fa = fa || c == 0x06CC || c == 0x06A9 || c == 0x067E || c == 0x0686 || c == 0x0698 ||
             c == 0x06AF;
        ur = ur || c == 0x06D2 || c == 0x06C1 || c == 0x06BE || c == 0x0679 || c == 0x0688 ||
             c == 0x0691 || c == 0x06BA || c == 0x06C3;
        out->l[out->n++] = (struct letter){.cp = c};
    }
    out->mode = ur ? M_UR : fa ? M_FA : M_AR;
    return out->n > 0;
}

/* The folded key of letters [from, to) into key (KEY_MAX bytes). */
static void key_of(const struct word *w, size_t from, size_t to, char *key)
{
    size_t o = 0;
    for (size_t i = from; i < to; i++) {
        unsigned c = fold(w->l[i].cp);
        if (c == 0)
            continue;
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

static unsigned fat(const struct word *w, size_t i)
{
    return fold(w->l[i].cp);
}

/* Whether the n letters from from (folded) spell s. */
static bool spells(const struct word *w, size_t from, size_t to, const unsigned *s, size_t n)
{
    if (to - from < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (fat(w, from + i) != s[i])
            return false;
    return true;
}

static bool is_vowel_letter(unsigned c)
{
    return IN(c, alefs) || IN(c, waws) || IN(c, yehs) || c == 0x0629 || c == 0x06C0 ||
           c == 0x06C3;
}

/* ا و ي (and ى, ة): the unit for letter i of [from, to). */
static struct unit vowel_unit(const struct word *w, size_t from, size_t to, size_t i,
                              const struct unit *prev)
{
    const struct letter *l = &w->l[i];
    unsigned c = l->cp, next = i + 1 < to ? w->l[i + 1].cp : 0;
    bool first = i == from, last = i + 1 == to;
    bool before_alef = IN(next, alefs), prev_a = prev != NULL && prev->alef && prev->longv;
    bool prev_fatha = i > from && w->l[i - 1].mark == V_A;
    bool glide = first || l->shadda || (l->mark != V_NONE && l->mark != V_SUKUN) ||
                 before_alef || prev_a || prev_fatha;
    struct unit u = {.mark = l->mark, .shadda = l->shadda};
    if (IN(c, alefs)) {
        u.s = first ? (c == 0x0625 || l->mark == V_I ? "i" : l->mark == V_U ? "u" : "a") : "a";
        u.longv = u.alef = !first;
    } else if (c == 0x0629 || c == 0x06C3) {
        u.s = "a";
    } else if (c == 0x06C0) {
        u.s = "eh";
    } else if (c == 0x0624) {
        u.s = "u";
    } else if (c == 0x0626) {
        u.s = next == 0 || IN(next, yehs) ? "" : "i";
        u.cons = u.s[0] == '\0';
    } else if (IN(c, waws)) {
        u.cons = glide;
        u.s = glide ? (w->mode == M_FA ? "v" : "w") : (w->mode == M_FA ? "ou" : "u");
        u.longv = !glide;
    } else if (c == MAQSURA && last) {
        u.s = "a", u.longv = true, u.alef = true;
    } else if (c == 0x06D2 || c == 0x06D3) {
        u.s = "e";
    } else if (glide) {
        u.s = "y", u.cons = true;
    } else if (!w->vocalised && i == from + 1 && prev != NULL && prev->cons && !last &&
               !is_vowel_letter(next)) {
        u.s = w->mode == M_FA ? "ey" : "ai"; /* زيد, حيدر: a diphthong */
    } else {
        u.s = "i", u.longv = true;
    }
    return u;
}

static struct unit unit_of(const struct word *w, size_t from, size_t to, size_t i,
                           const struct unit *prev)
{
    const struct letter *l = &w->l[i];
    unsigned c = l->cp;
    if (is_vowel_letter(c))
        return vowel_unit(w, from, to, i, prev);
    struct unit u = {.cons = true, .mark = l->mark, .shadda = l->shadda};
    if (IN(c, hehs) && c != 0x06BE && i + 1 == to && i > from && prev != NULL && prev->cons)
        u.s = w->mode == M_FA ? "eh" : w->mode == M_UR ? "a" : "ah", u.cons = false;
    else if (c == 0x06D5)
        u.s = "e", u.cons = false;
    else if (IN(c, hehs))
        u.s = "h";
    else
        u.s = consonant(c, w->mode);
    return u;
}

/* The short vowel read after consonant unit k of u[0..n), none written. */
static const char *guess_vowel(const struct unit *u, size_t n, size_t k, int mode)
{
    if (k + 1 >= n || !u[k + 1].cons)
        return "";
    if (k == 0)
        return "a"; /* nasr, fahd, karim */
    if (u[k - 1].longv && u[k - 1].alef)
        return mode == M_FA ? "e" : "i"; /* khalid, fatima */
    if (k + 2 == n && k >= 2 && !u[k - 1].longv)
        return "a"; /* ahmad, jafar, zainab */
    return "";
}

/* Letters [from, to), one by one. */
static bool spell_letters(const struct word *w, size_t from, size_t to, char *out, size_t outsz,
                          size_t *o)
{
    struct unit u[MAX_CPS];
    size_t n = 0;
    for (size_t i = from; i < to; i++, n++)
        u[n] = unit_of(w, from, to, i, n > 0 ? &u[n - 1] : NULL);
    if (n == 6 && !w->vocalised && (w->l[from].cp == ALEF || w->l[from].cp == 0x0625) &&
        w->l[from + 2].cp == 0x062A && u[1].cons && u[3].cons && u[4].alef && u[5].cons) {
        u[0].s = "i"; /* اعتماد, ابتسام, افتخار: the verbal noun iCtiCaC */
        u[2].mark = V_I;
    }
    for (size_t k = 0; k < n; k++) {
        const char *v = "";
        if (!names_script_put(out, outsz, o, u[k].s))
            return false;
        if (u[k].shadda && u[k].cons && strlen(u[k].s) == 1 &&
            !names_script_put(out, outsz, o, u[k].s))
            return false;
        if (!u[k].cons)
            continue;
        if (u[k].mark == V_A)
            v = "a";
        else if (u[k].mark == V_I)
            v = w->mode == M_FA ? "e" : "i";
        else if (u[k].mark == V_U)
            v = w->mode == M_FA ? "o" : "u";
        else if (u[k].mark == V_NONE && !w->vocalised)
            v = guess_vowel(u, n, k, w->mode);
        if (!names_script_put(out, outsz, o, v))
            return false;
    }
    return true;
}

static const unsigned article[] = {ALEF, LAM};
static const unsigned abd[] = {AIN, BEH, DAL};
static const unsigned abu[] = {ALEF, BEH, WAW};
static const unsigned allah[] = {ALEF, LAM, LAM, HEH};
static const unsigned aldin[] = {ALEF, LAM, DAL, YEH, 0x0646};

/* Letters [from, to) as one or more tokens: the lexicon, then the article,
 * عبد, ابو and الله / الدين split off, then letter by letter. */
static bool spell(const struct word *w, size_t from, size_t to, int depth, char *out,
                  size_t outsz, size_t *o)
{
    char key[KEY_MAX];
    size_t n = to - from;
    key_of(w, from, to, key);
    const struct lex *e = lookup(key);
    if (e != NULL)
        return names_script_put(out, outsz, o, w->mode == M_FA && e->fa != NULL ? e->fa : e->lat);
    if (depth < 4 && n >= 6 && spells(w, to - 4, to, allah, 4))
        return spell(w, from, to - 4, depth + 1, out, outsz, o) &&
               names_script_put(out, outsz, o, " ullah");
    if (depth < 4 && n >= 7 && spells(w, to - 5, to, aldin, 5))
        return spell(w, from, to - 5, depth + 1, out, outsz, o) &&
               names_script_put(out, outsz, o, " uddin");
    if (depth < 4 && n >= 4 && spells(w, from, to, article, 2))
        return names_script_put(out, outsz, o, "al ") &&
               spell(w, from + 2, to, depth + 1, out, outsz, o);
    if (depth < 4 && n >= 5 && spells(w, from, to, abd, 3))
        return names_script_put(out, outsz, o, "abd ") &&
               spell(w, from + 3, to, depth + 1, out, outsz, o);
    if (depth < 4 && n >= 6 && spells(w, from, to, abu, 3))
        return names_script_put(out, outsz, o, "abu ") &&
               spell(w, from + 3, to, depth + 1, out, outsz, o);
    return spell_letters(w, from, to, out, outsz, o);
}

int names_arabic_word(const char *w, size_t len, char *out, size_t outsz)
{
    struct word wd;
    size_t o = 0;
    if (!decode(w, len, &wd))
        return 0;
    if (outsz == 0)
        return -1;
    out[0] = '\0';
    if (!spell(&wd, 0, wd.n, 0, out, outsz, &o)) {
        out[0] = '\0';
        return -1;
    }
    return o > 0 ? 1 : 0;
}
