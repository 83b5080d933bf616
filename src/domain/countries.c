/* countries: the ICAO 9303 code table and its lookups. The table is sorted
 * by the code padded to three bytes with '<' (the byte order of the MRZ,
 * where '<' sorts before 'A'), so a lookup is a binary search over constant
 * data. ISO 3166-1 names follow the Debian iso-codes data; the ICAO specials
 * follow Doc 9303 Part 3. */
#include "domain/countries.h"

#include <stdint.h>
#include <string.h>

static const struct countries_entry table[] = {
    {"ABW", "Aruba", COUNTRIES_ISO},
    {"AFG", "Afghanistan", COUNTRIES_ISO},
    {"AGO", "Angola", COUNTRIES_ISO},
    {"AIA", "Anguilla", COUNTRIES_ISO},
    {"ALA", "Åland Islands", COUNTRIES_ISO},
    {"ALB", "Albania", COUNTRIES_ISO},
    {"AND", "Andorra", COUNTRIES_ISO},
    {"ANT", "Netherlands Antilles", COUNTRIES_HISTORIC},
    {"ARE", "United Arab Emirates", COUNTRIES_ISO},
    {"ARG", "Argentina", COUNTRIES_ISO},
    {"ARM", "Armenia", COUNTRIES_ISO},
    {"ASM", "American Samoa", COUNTRIES_ISO},
    {"ATA", "Antarctica", COUNTRIES_ISO},
    {"ATF", "French Southern Territories", COUNTRIES_ISO},
    {"ATG", "Antigua and Barbuda", COUNTRIES_ISO},
    {"AUS", "Australia", COUNTRIES_ISO},
    {"AUT", "Austria", COUNTRIES_ISO},
    {"AZE", "Azerbaijan", COUNTRIES_ISO},
    {"BDI", "Burundi", COUNTRIES_ISO},
    {"BEL", "Belgium", COUNTRIES_ISO},
    {"BEN", "Benin", COUNTRIES_ISO},
    {"BES", "Bonaire, Sint Eustatius and Saba", COUNTRIES_ISO},
    {"BFA", "Burkina Faso", COUNTRIES_ISO},
    {"BGD", "Bangladesh", COUNTRIES_ISO},
    {"BGR", "Bulgaria", COUNTRIES_ISO},
    {"BHR", "Bahrain", COUNTRIES_ISO},
    {"BHS", "Bahamas", COUNTRIES_ISO},
    {"BIH", "Bosnia and Herzegovina", COUNTRIES_ISO},
    {"BLM", "Saint Barthélemy", COUNTRIES_ISO},
    {"BLR", "Belarus", COUNTRIES_ISO},
    {"BLZ", "Belize", COUNTRIES_ISO},
    {"BMU", "Bermuda", COUNTRIES_ISO},
    {"BOL", "Bolivia, Plurinational State of", COUNTRIES_ISO},
    {"BRA", "Brazil", COUNTRIES_ISO},
    {"BRB", "Barbados", COUNTRIES_ISO},
    {"BRN", "Brunei Darussalam", COUNTRIES_ISO},
    {"BTN", "Bhutan", COUNTRIES_ISO},
    {"BVT", "Bouvet Island", COUNTRIES_ISO},
    {"BWA", "Botswana", COUNTRIES_ISO},
    {"CAF", "Central African Republic", COUNTRIES_ISO},
    {"CAN", "Canada", COUNTRIES_ISO},
    {"CCK", "Cocos (Keeling) Islands", COUNTRIES_ISO},
    {"CHE", "Switzerland", COUNTRIES_ISO},
    {"CHL", "Chile", COUNTRIES_ISO},
    {"CHN", "China", COUNTRIES_ISO},
    {"CIV", "Côte d'Ivoire", COUNTRIES_ISO},
    {"CMR", "Cameroon", COUNTRIES_ISO},
    {"COD", "Congo, The Democratic Republic of the", COUNTRIES_ISO},
    {"COG", "Congo", COUNTRIES_ISO},
    {"COK", "Cook Islands", COUNTRIES_ISO},
    {"COL", "Colombia", COUNTRIES_ISO},
    {"COM", "Comoros", COUNTRIES_ISO},
    {"CPV", "Cabo Verde", COUNTRIES_ISO},
    {"CRI", "Costa Rica", COUNTRIES_ISO},
    {"CUB", "Cuba", COUNTRIES_ISO},
    {"CUW", "Curaçao", COUNTRIES_ISO},
    {"CXR", "Christmas Island", COUNTRIES_ISO},
    {"CYM", "Cayman Islands", COUNTRIES_ISO},
    {"CYP", "Cyprus", COUNTRIES_ISO},
    {"CZE", "Czechia", COUNTRIES_ISO},
    {"D", "Germany", COUNTRIES_ICAO_SPECIAL},
    {"DEU", "Germany", COUNTRIES_ISO},
    {"DJI", "Djibouti", COUNTRIES_ISO},
    {"DMA", "Dominica", COUNTRIES_ISO},
    {"DNK", "Denmark", COUNTRIES_ISO},
    {"DOM", "Dominican Republic", COUNTRIES_ISO},
    {"DZA", "Algeria", COUNTRIES_ISO},
    {"ECU", "Ecuador", COUNTRIES_ISO},
    {"EGY", "Egypt", COUNTRIES_ISO},
    {"ERI", "Eritrea", COUNTRIES_ISO},
    {"ESH", "Western Sahara", COUNTRIES_ISO},
    {"ESP", "Spain", COUNTRIES_ISO},
    {"EST", "Estonia", COUNTRIES_ISO},
    {"ETH", "Ethiopia", COUNTRIES_ISO},
    {"EUE", "European Union", COUNTRIES_ICAO_SPECIAL},
    {"FIN", "Finland", COUNTRIES_ISO},
    {"FJI", "Fiji", COUNTRIES_ISO},
    {"FLK", "Falkland Islands (Malvinas)", COUNTRIES_ISO},
    {"FRA", "France", COUNTRIES_ISO},
    {"FRO", "Faroe Islands", COUNTRIES_ISO},
    {"FSM", "Micronesia, Federated States of", COUNTRIES_ISO},
    {"GAB", "Gabon", COUNTRIES_ISO},
    {"GBD", "British Overseas Territories Citizen", COUNTRIES_ICAO_SPECIAL},
    {"GBN", "British National (Overseas)", COUNTRIES_ICAO_SPECIAL},
    {"GBO", "British Overseas Citizen", COUNTRIES_ICAO_SPECIAL},
    {"GBP", "British Protected Person", COUNTRIES_ICAO_SPECIAL},
    {"GBR", "United Kingdom", COUNTRIES_ISO},
    {"GBS", "British Subject", COUNTRIES_ICAO_SPECIAL},
    {"GEO", "Georgia", COUNTRIES_ISO},
    {"GGY", "Guernsey", COUNTRIES_ISO},
    {"GHA", "Ghana", COUNTRIES_ISO},
    {"GIB", "Gibraltar", COUNTRIES_ISO},
    {"GIN", "Guinea", COUNTRIES_ISO},
    {"GLP", "Guadeloupe", COUNTRIES_ISO},
    {"GMB", "Gambia", COUNTRIES_ISO},
    {"GNB", "Guinea-Bissau", COUNTRIES_ISO},
    {"GNQ", "Equatorial Guinea", COUNTRIES_ISO},
    {"GRC", "Greece", COUNTRIES_ISO},
    {"GRD", "Grenada", COUNTRIES_ISO},
    {"GRL", "Greenland", COUNTRIES_ISO},
    {"GTM", "Guatemala", COUNTRIES_ISO},
    {"GUF", "French Guiana", COUNTRIES_ISO},
    {"GUM", "Guam", COUNTRIES_ISO},
    {"GUY", "Guyana", COUNTRIES_ISO},
    {"HKG", "Hong Kong", COUNTRIES_ISO},
    {"HMD", "Heard Island and McDonald Islands", COUNTRIES_ISO},
    {"HND", "Honduras", COUNTRIES_ISO},
    {"HRV", "Croatia", COUNTRIES_ISO},
    {"HTI", "Haiti", COUNTRIES_ISO},
    {"HUN", "Hungary", COUNTRIES_ISO},
    {"IDN", "Indonesia", COUNTRIES_ISO},
    {"IMN", "Isle of Man", COUNTRIES_ISO},
    {"IND", "India", COUNTRIES_ISO},
    {"IOT", "British Indian Ocean Territory", COUNTRIES_ISO},
    {"IRL", "Ireland", COUNTRIES_ISO},
    {"IRN", "Iran, Islamic Republic of", COUNTRIES_ISO},
    {"IRQ", "Iraq", COUNTRIES_ISO},
    {"ISL", "Iceland", COUNTRIES_ISO},
    {"ISR", "Israel", COUNTRIES_ISO},
    {"ITA", "Italy", COUNTRIES_ISO},
    {"JAM", "Jamaica", COUNTRIES_ISO},
    {"JEY", "Jersey", COUNTRIES_ISO},
    {"JOR", "Jordan", COUNTRIES_ISO},
    {"JPN", "Japan", COUNTRIES_ISO},
    {"KAZ", "Kazakhstan", COUNTRIES_ISO},
    {"KEN", "Kenya", COUNTRIES_ISO},
    {"KGZ", "Kyrgyzstan", COUNTRIES_ISO},
    {"KHM", "Cambodia", COUNTRIES_ISO},
    {"KIR", "Kiribati", COUNTRIES_ISO},
    {"KNA", "Saint Kitts and Nevis", COUNTRIES_ISO},
    {"KOR", "Korea, Republic of", COUNTRIES_ISO},
    {"KWT", "Kuwait", COUNTRIES_ISO},
    {"LAO", "Lao People's Democratic Republic", COUNTRIES_ISO},
    {"LBN", "Lebanon", COUNTRIES_ISO},
    {"LBR", "Liberia", COUNTRIES_ISO},
    {"LBY", "Libya", COUNTRIES_ISO},
    {"LCA", "Saint Lucia", COUNTRIES_ISO},
    {"LIE", "Liechtenstein", COUNTRIES_ISO},
    {"LKA", "Sri Lanka", COUNTRIES_ISO},
    {"LSO", "Lesotho", COUNTRIES_ISO},
    {"LTU", "Lithuania", COUNTRIES_ISO},
    {"LUX", "Luxembourg", COUNTRIES_ISO},
    {"LVA", "Latvia", COUNTRIES_ISO},
    {"MAC", "Macao", COUNTRIES_ISO},
    {"MAF", "Saint Martin (French part)", COUNTRIES_ISO},
    {"MAR", "Morocco", COUNTRIES_ISO},
    {"MCO", "Monaco", COUNTRIES_ISO},
    {"MDA", "Moldova, Republic of", COUNTRIES_ISO},
    {"MDG", "Madagascar", COUNTRIES_ISO},
    {"MDV", "Maldives", COUNTRIES_ISO},
    {"MEX", "Mexico", COUNTRIES_ISO},
    {"MHL", "Marshall Islands", COUNTRIES_ISO},
    {"MKD", "North Macedonia", COUNTRIES_ISO},
    {"MLI", "Mali", COUNTRIES_ISO},
    {"MLT", "Malta", COUNTRIES_ISO},
    {"MMR", "Myanmar", COUNTRIES_ISO},
    {"MNE", "Montenegro", COUNTRIES_ISO},
    {"MNG", "Mongolia", COUNTRIES_ISO},
    {"MNP", "Northern Mariana Islands", COUNTRIES_ISO},
    {"MOZ", "Mozambique", COUNTRIES_ISO},
    {"MRT", "Mauritania", COUNTRIES_ISO},
    {"MSR", "Montserrat", COUNTRIES_ISO},
    {"MTQ", "Martinique", COUNTRIES_ISO},
    {"MUS", "Mauritius", COUNTRIES_ISO},
    {"MWI", "Malawi", COUNTRIES_ISO},
    {"MYS", "Malaysia", COUNTRIES_ISO},
    {"MYT", "Mayotte", COUNTRIES_ISO},
    {"NAM", "Namibia", COUNTRIES_ISO},
    {"NCL", "New Caledonia", COUNTRIES_ISO},
    {"NER", "Niger", COUNTRIES_ISO},
    {"NFK", "Norfolk Island", COUNTRIES_ISO},
    {"NGA", "Nigeria", COUNTRIES_ISO},
    {"NIC", "Nicaragua", COUNTRIES_ISO},
    {"NIU", "Niue", COUNTRIES_ISO},
    {"NLD", "Netherlands", COUNTRIES_ISO},
    {"NOR", "Norway", COUNTRIES_ISO},
    {"NPL", "Nepal", COUNTRIES_ISO},
    {"NRU", "Nauru", COUNTRIES_ISO},
    {"NTZ", "Neutral Zone", COUNTRIES_HISTORIC},
    {"NZL", "New Zealand", COUNTRIES_ISO},
    {"OMN", "Oman", COUNTRIES_ISO},
    {"PAK", "Pakistan", COUNTRIES_ISO},
    {"PAN", "Panama", COUNTRIES_ISO},
    {"PCN", "Pitcairn", COUNTRIES_ISO},
    {"PER", "Peru", COUNTRIES_ISO},
    {"PHL", "Philippines", COUNTRIES_ISO},
    {"PLW", "Palau", COUNTRIES_ISO},
    {"PNG", "Papua New Guinea", COUNTRIES_ISO},
    {"POL", "Poland", COUNTRIES_ISO},
    {"PRI", "Puerto Rico", COUNTRIES_ISO},
    {"PRK", "Korea, Democratic People's Republic of", COUNTRIES_ISO},
    {"PRT", "Portugal", COUNTRIES_ISO},
    {"PRY", "Paraguay", COUNTRIES_ISO},
    {"PSE", "Palestine, State of", COUNTRIES_ISO},
    {"PYF", "French Polynesia", COUNTRIES_ISO},
    {"QAT", "Qatar", COUNTRIES_ISO},
    {"REU", "Réunion", COUNTRIES_ISO},
    {"RKS", "Kosovo", COUNTRIES_IN_USE},
    {"ROU", "Romania", COUNTRIES_ISO},
    {"RUS", "Russian Federation", COUNTRIES_ISO},
    {"RWA", "Rwanda", COUNTRIES_ISO},
    {"SAU", "Saudi Arabia", COUNTRIES_ISO},
    {"SDN", "Sudan", COUNTRIES_ISO},
    {"SEN", "Senegal", COUNTRIES_ISO},
    {"SGP", "Singapore", COUNTRIES_ISO},
    {"SGS", "South Georgia and the South Sandwich Islands", COUNTRIES_ISO},
    {"SHN", "Saint Helena, Ascension and Tristan da Cunha", COUNTRIES_ISO},
    {"SJM", "Svalbard and Jan Mayen", COUNTRIES_ISO},
    {"SLB", "Solomon Islands", COUNTRIES_ISO},
    {"SLE", "Sierra Leone", COUNTRIES_ISO},
    {"SLV", "El Salvador", COUNTRIES_ISO},
    {"SMR", "San Marino", COUNTRIES_ISO},
    {"SOM", "Somalia", COUNTRIES_ISO},
    {"SPM", "Saint Pierre and Miquelon", COUNTRIES_ISO},
    {"SRB", "Serbia", COUNTRIES_ISO},
    {"SSD", "South Sudan", COUNTRIES_ISO},
    {"STP", "Sao Tome and Principe", COUNTRIES_ISO},
    {"SUR", "Suriname", COUNTRIES_ISO},
    {"SVK", "Slovakia", COUNTRIES_ISO},
    {"SVN", "Slovenia", COUNTRIES_ISO},
    {"SWE", "Sweden", COUNTRIES_ISO},
    {"SWZ", "Eswatini", COUNTRIES_ISO},
    {"SXM", "Sint Maarten (Dutch part)", COUNTRIES_ISO},
    {"SYC", "Seychelles", COUNTRIES_ISO},
    {"SYR", "Syrian Arab Republic", COUNTRIES_ISO},
    {"TCA", "Turks and Caicos Islands", COUNTRIES_ISO},
    {"TCD", "Chad", COUNTRIES_ISO},
    {"TGO", "Togo", COUNTRIES_ISO},
    {"THA", "Thailand", COUNTRIES_ISO},
    {"TJK", "Tajikistan", COUNTRIES_ISO},
    {"TKL", "Tokelau", COUNTRIES_ISO},
    {"TKM", "Turkmenistan", COUNTRIES_ISO},
    {"TLS", "Timor-Leste", COUNTRIES_ISO},
    {"TON", "Tonga", COUNTRIES_ISO},
    {"TTO", "Trinidad and Tobago", COUNTRIES_ISO},
    {"TUN", "Tunisia", COUNTRIES_ISO},
    {"TUR", "Türkiye", COUNTRIES_ISO},
    {"TUV", "Tuvalu", COUNTRIES_ISO},
    {"TWN", "Taiwan, Province of China", COUNTRIES_ISO},
    {"TZA", "Tanzania, United Republic of", COUNTRIES_ISO},
    {"UGA", "Uganda", COUNTRIES_ISO},
    {"UKR", "Ukraine", COUNTRIES_ISO},
    {"UMI", "United States Minor Outlying Islands", COUNTRIES_ISO},
    {"UNA",
     "Specialized agency of the United Nations or one of its officials",
     COUNTRIES_ICAO_SPECIAL},
    {"UNK", "Resident of Kosovo with a travel document issued by UNMIK", COUNTRIES_ICAO_SPECIAL},
    {"UNO", "United Nations Organization or one of its officials", COUNTRIES_ICAO_SPECIAL},
    {"URY", "Uruguay", COUNTRIES_ISO},
    {"USA", "United States", COUNTRIES_ISO},
    {"UTO", "Utopia (ICAO specimen state)", COUNTRIES_SPECIMEN},
    {"UZB", "Uzbekistan", COUNTRIES_ISO},
    {"VAT", "Holy See (Vatican City State)", COUNTRIES_ISO},
    {"VCT", "Saint Vincent and the Grenadines", COUNTRIES_ISO},
    {"VEN", "Venezuela, Bolivarian Republic of", COUNTRIES_ISO},
    {"VGB", "Virgin Islands, British", COUNTRIES_ISO},
    {"VIR", "Virgin Islands, U.S.", COUNTRIES_ISO},
    {"VNM", "Viet Nam", COUNTRIES_ISO},
    {"VUT", "Vanuatu", COUNTRIES_ISO},
    {"WLF", "Wallis and Futuna", COUNTRIES_ISO},
    {"WSM", "Samoa", COUNTRIES_ISO},
    {"XBA", "African Development Bank", COUNTRIES_ICAO_SPECIAL},
    {"XCC", "Caribbean Community (CARICOM)", COUNTRIES_ICAO_SPECIAL},
    {"XCE", "Council of Europe", COUNTRIES_ICAO_SPECIAL},
    {"XCO", "Common Market for Eastern and Southern Africa (COMESA)", COUNTRIES_ICAO_SPECIAL},
    {"XDC", "Southern African Development Community", COUNTRIES_ICAO_SPECIAL},
    {"XEC", "Economic Community of West African States (ECOWAS)", COUNTRIES_ICAO_SPECIAL},
    {"XES", "Organisation of Eastern Caribbean States", COUNTRIES_ICAO_SPECIAL},
    {"XIM", "African Export-Import Bank", COUNTRIES_ICAO_SPECIAL},
    {"XOM", "Sovereign Military Order of Malta", COUNTRIES_ICAO_SPECIAL},
    {"XPO", "International Criminal Police Organization (INTERPOL)", COUNTRIES_ICAO_SPECIAL},
    {"XXA", "Stateless person (1954 Convention)", COUNTRIES_ICAO_SPECIAL},
    {"XXB", "Refugee (1951 Convention and 1967 Protocol)", COUNTRIES_ICAO_SPECIAL},
    {"XXC", "Refugee, other than XXB", COUNTRIES_ICAO_SPECIAL},
    {"XXK", "Kosovo", COUNTRIES_IN_USE},
    {"XXX", "Person of unspecified nationality", COUNTRIES_ICAO_SPECIAL},
    {"YEM", "Yemen", COUNTRIES_ISO},
    {"ZAF", "South Africa", COUNTRIES_ISO},
    {"ZMB", "Zambia", COUNTRIES_ISO},
    {"ZWE", "Zimbabwe", COUNTRIES_ISO},
};

#define TABLE_LEN (sizeof table / sizeof table[0])

size_t countries_count(void)
{
    return TABLE_LEN;
}

const struct countries_entry *countries_at(size_t i)
{
    return i < TABLE_LEN ? &table[i] : NULL;
}

/* The code of e padded with '<' to three bytes, as one integer. */
static uint32_t entry_key(const struct countries_entry *e)
{
    const char *c = e->code;
    uint32_t b1 = c[1] ? (unsigned char)c[1] : '<';
    uint32_t b2 = c[1] && c[2] ? (unsigned char)c[2] : '<';
    return (uint32_t)(unsigned char)c[0] << 16 | b1 << 8 | b2;
}

/* Turns an MRZ code into a padded three-byte key; false when it cannot be a
 * code (bad length, bytes other than A-Z, internal or leading filler). */
static bool make_key(const char *code, size_t len, uint32_t *key)
{
    if (code == NULL || len == 0 || len > 3)
        return false;
    bool filler = false;
    uint32_t k = 0;
    for (size_t i = 0; i < 3; i++) {
        char c = i < len ? code[i] : '<';
        if (c == '<') {
            if (i == 0)
                return false;
            filler = true;
        } else if (c < 'A' || c > 'Z' || filler) {
            return false;
        }
        k = k << 8 | (unsigned char)c;
    }
    *key = k;
    return true;
}

const struct countries_entry *countries_find(const char *code, size_t len)
{
    uint32_t key;
    if (!make_key(code, len, &key))
        return NULL;
    size_t lo = 0, hi = TABLE_LEN;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t k = entry_key(&table[mid]);
        if (key == k)
            return &table[mid];
        if (key < k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

bool countries_known(const char *code)
{
    return code != NULL && countries_find(code, strnlen(code, 4)) != NULL;
}

const char *countries_name(const char *code)
{
    const struct countries_entry *e = code ? countries_find(code, strnlen(code, 4)) : NULL;
    return e ? e->name : NULL;
}

const char *countries_kind_name(enum countries_kind kind)
{
    switch (kind) {
    case COUNTRIES_ISO:
        return "iso";
    case COUNTRIES_ICAO_SPECIAL:
        return "icao_special";
    case COUNTRIES_SPECIMEN:
        return "specimen";
    case COUNTRIES_IN_USE:
        return "in_use";
    case COUNTRIES_HISTORIC:
        return "historic";
    }
    return "unknown";
}
