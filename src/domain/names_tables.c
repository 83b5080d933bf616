/* names_tables: the const word lists used by name normalisation, and their
 * lookups. Titles and degrees follow Permendagri 73/2022 practice (H., Hj.,
 * Drs., Ir., S.H.) and common Arabic/South Asian honorifics; variant classes
 * group the usual romanisations of one given name; the frequent name parts
 * are general knowledge of common given names and surnames across the
 * regions lintas screens (Indonesian, other South-East Asian, South Asian,
 * Arabic, East Asian, Western). Every list is sorted by word (checked by
 * tests/unit/test_names.c) and looked up through a hash index built on
 * first use (binary search until then). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "domain/names_tables.h"

struct names_country {
    const char *key; /* lowercase letters only */
    const char *a3;
};

static const struct names_word title_words[] = {
    {"amd", 1}, {"bsc", 3}, {"dato", 1}, {"datuk", 1}, {"dipl", 1}, {"dr", 2}, {"dra", 1},
    {"drs", 1}, {"h", 2}, {"hajah", 1}, {"haji", 1}, {"hajja", 1}, {"hajjah", 1}, {"hajji", 1},
    {"hj", 1}, {"ii", 3}, {"iii", 3}, {"ing", 1}, {"ir", 2}, {"iv", 3}, {"jr", 3}, {"kh", 1},
    {"kiai", 1}, {"kyai", 1}, {"maulana", 1}, {"maulawi", 1}, {"maulvi", 1}, {"mawlavi", 1},
    {"mawlawi", 1}, {"mba", 1}, {"mh", 3}, {"mkes", 1}, {"mkom", 1}, {"mlle", 1}, {"mm", 3},
    {"mme", 1}, {"molvi", 1}, {"mpd", 1}, {"mr", 1}, {"mrs", 1}, {"ms", 1}, {"msc", 1},
    {"msi", 3}, {"mt", 3}, {"mulla", 1}, {"mullah", 1}, {"phd", 1}, {"prof", 1}, {"sag", 1},
    {"se", 3}, {"sh", 3}, {"shaikh", 1}, {"shaikha", 1}, {"shaykh", 1}, {"sheik", 1},
    {"sheikh", 1}, {"sip", 3}, {"sir", 1}, {"sked", 1}, {"skm", 1}, {"skom", 1}, {"spd", 1},
    {"sr", 3}, {"ssi", 1}, {"ssos", 1}, {"st", 3}, {"ust", 1}, {"ustad", 1}, {"ustadz", 1},
    {"ustaz", 1},
};

static const struct names_word particle_words[] = {
    {"ad", 9}, {"ag", 1}, {"al", 9}, {"an", 9}, {"ar", 9}, {"as", 9}, {"ash", 9}, {"at", 9},
    {"az", 9}, {"ben", 8}, {"bin", 8}, {"bint", 8}, {"binte", 8}, {"binti", 8}, {"bt", 8},
    {"bte", 8}, {"da", 1}, {"das", 1}, {"de", 1}, {"del", 1}, {"della", 1}, {"den", 1},
    {"der", 1}, {"di", 1}, {"dos", 1}, {"du", 1}, {"ed", 9}, {"el", 9}, {"ibn", 8}, {"ibni", 8},
    {"ibnu", 8}, {"la", 1}, {"ould", 1}, {"ten", 1}, {"ter", 1}, {"ud", 9}, {"ul", 9}, {"van", 1},
    {"von", 1}, {"wa", 1}, {"y", 1},
};

static const struct names_word birth_words[] = {
    {"gede", 1}, {"i", 2}, {"kadek", 1}, {"ketut", 1}, {"komang", 1}, {"luh", 2}, {"made", 1},
    {"nengah", 1}, {"ni", 2}, {"nyoman", 1}, {"putu", 1}, {"wayan", 1},
};

static const struct names_word vclass_words[] = {
    {"abd", 3}, {"abdal", 3}, {"abdalla", 4}, {"abdallah", 4}, {"abdel", 3}, {"abdellah", 4},
    {"abdil", 3}, {"abdilah", 4}, {"abdillah", 4}, {"abdoel", 3}, {"abdol", 3}, {"abdollah", 4},
    {"abdoul", 3}, {"abdoullah", 4}, {"abdu", 3}, {"abdul", 3}, {"abdulah", 4}, {"abdulla", 3},
    {"abdullah", 4}, {"abdur", 3}, {"abdus", 3}, {"abou", 7}, {"abu", 7}, {"achmad", 2},
    {"achmat", 2}, {"achmed", 2}, {"ahmad", 2}, {"ahmat", 2}, {"ahmed", 2}, {"ahmet", 2},
    {"aicha", 17}, {"aisah", 17}, {"aisha", 17}, {"aishah", 17}, {"aisyah", 17}, {"akhmad", 2},
    {"akhmed", 2}, {"aleksander", 27}, {"aleksandr", 27}, {"alex", 27}, {"alexander", 27},
    {"alexandr", 27}, {"alexandre", 27}, {"alexandros", 27}, {"ayesha", 17}, {"aysha", 17},
    {"bak", 23}, {"benjamim", 28}, {"benjamin", 28}, {"benji", 28}, {"benny", 28}, {"beth", 35},
    {"betsy", 35}, {"betty", 35}, {"bibi", 28}, {"bill", 55}, {"billy", 55}, {"binyamin", 28},
    {"bob", 48}, {"bobby", 48}, {"brahim", 15}, {"catherine", 40}, {"cathy", 40}, {"charles", 29},
    {"charlie", 29}, {"choe", 24}, {"choi", 24}, {"chris", 30}, {"christopher", 30}, {"chuck", 29},
    {"daniel", 31}, {"danny", 31}, {"dave", 32}, {"davey", 32}, {"david", 32}, {"dick", 47},
    {"dmitri", 33}, {"dmitrii", 33}, {"dmitriy", 33}, {"dmitry", 33}, {"ebrahim", 15},
    {"eddie", 34}, {"edward", 34}, {"elisabeth", 35}, {"elizabeth", 35}, {"fathima", 18},
    {"fatima", 18}, {"fatimah", 18}, {"fatma", 18}, {"fatmah", 18}, {"gang", 25}, {"gim", 21},
    {"gwon", 26}, {"hank", 36}, {"harry", 36}, {"henry", 36}, {"hosain", 11}, {"hosein", 11},
    {"hossein", 11}, {"husain", 11}, {"husayn", 11}, {"husein", 11}, {"huseyin", 11},
    {"hussain", 11}, {"hussein", 11}, {"ibraheem", 15}, {"ibrahem", 15}, {"ibrahim", 15},
    {"ibrohim", 15}, {"jack", 38}, {"james", 37}, {"jamie", 37}, {"jim", 37}, {"jimmy", 37},
    {"joe", 39}, {"joey", 39}, {"john", 38}, {"johnny", 38}, {"joseph", 39}, {"kang", 25},
    {"kate", 40}, {"katherine", 40}, {"kathryn", 40}, {"kathy", 40}, {"katie", 40}, {"kim", 21},
    {"kolya", 45}, {"kristopher", 30}, {"kwon", 26}, {"lee", 22}, {"liz", 35}, {"lizzie", 35},
    {"maggie", 41}, {"mahmod", 13}, {"mahmood", 13}, {"mahmoud", 13}, {"mahmud", 13},
    {"mahmut", 13}, {"mahomed", 1}, {"margaret", 41}, {"md", 1}, {"meg", 41}, {"mehmed", 1},
    {"mehmet", 1}, {"mehmood", 13}, {"mhd", 1}, {"mhmd", 1}, {"michael", 42}, {"mick", 42},
    {"mike", 42}, {"mikey", 42}, {"mikhail", 43}, {"misha", 43}, {"moch", 1}, {"mochamad", 1},
    {"mochamed", 1}, {"mochammad", 1}, {"mochammed", 1}, {"moh", 1}, {"mohamad", 1},
    {"mohamadou", 1}, {"mohamed", 1}, {"mohammad", 1}, {"mohammed", 1}, {"mohammod", 1},
    {"mohamud", 1}, {"mohd", 1}, {"mohmad", 1}, {"mohmed", 1}, {"mouhamad", 1}, {"mouhamadou", 1},
    {"mouhamed", 1}, {"mouhammad", 1}, {"muh", 1}, {"muhamad", 1}, {"muhamadou", 1}, {"muhamed", 1},
    {"muhammad", 1}, {"muhammed", 1}, {"muhammet", 1}, {"muhd", 1}, {"ned", 34}, {"nicholas", 44},
    {"nick", 44}, {"nicky", 44}, {"nikolai", 45}, {"nikolay", 45}, {"noer", 5}, {"noor", 5},
    {"noorul", 5}, {"nor", 5}, {"nour", 5}, {"nur", 5}, {"nurul", 5}, {"omar", 12}, {"omer", 12},
    {"osman", 14}, {"othman", 14}, {"paddy", 46}, {"pak", 23}, {"park", 23}, {"patrick", 46},
    {"peggy", 41}, {"rachman", 19}, {"rahman", 19}, {"rahmane", 19}, {"rakhman", 19},
    {"rehman", 19}, {"rhee", 22}, {"rhie", 22}, {"richard", 47}, {"rick", 47}, {"ricky", 47},
    {"rob", 48}, {"robbie", 48}, {"robert", 48}, {"said", 20}, {"sammy", 49},
    {"samuel", 49}, {"sasha", 27}, {"sayed", 20}, {"sayid", 20}, {"sayyed", 20}, {"sayyid", 20},
    {"seyed", 20}, {"seyyed", 20}, {"siti", 6}, {"sitti", 6}, {"sity", 6}, {"stephen", 50},
    {"steve", 50}, {"steven", 50}, {"syed", 20}, {"ted", 51}, {"teddy", 51}, {"theodore", 51},
    {"thomas", 52}, {"tim", 53}, {"timothy", 53}, {"tom", 52}, {"tommy", 52}, {"umar", 12},
    {"usman", 14}, {"usmane", 14}, {"uthman", 14}, {"vladimir", 54}, {"volodya", 54}, {"will", 55},
    {"william", 55}, {"willie", 55}, {"willy", 55}, {"yosef", 10}, {"yousef", 10}, {"yousif", 10},
    {"yousof", 10}, {"youssef", 10}, {"yousuf", 10}, {"yusef", 10}, {"yusof", 10}, {"yussuf", 10},
    {"yusuf", 10}, {"yusup", 10}, {"zaenal", 16}, {"zainal", 16}, {"zainol", 16}, {"zainul", 16},
};

static const struct names_word common_words[] = {
    {"aaron", 1}, {"abd", 1}, {"abdel", 1}, {"abdi", 1}, {"abdirahman", 1}, {"abdul", 2},
    {"abdulaziz", 1}, {"abdulkadir", 1}, {"abdullah", 2}, {"abu", 2}, {"adam", 1}, {"adams", 1},
    {"adel", 1}, {"adi", 1}, {"adil", 1}, {"agus", 2}, {"ahmad", 2}, {"ahmed", 1}, {"ahn", 1},
    {"aisyah", 2}, {"ajay", 1}, {"akbar", 1}, {"akhtar", 1}, {"akter", 1}, {"alain", 1},
    {"alexander", 1}, {"alexei", 1}, {"ali", 2}, {"allen", 1}, {"alvarez", 1}, {"amanda", 1},
    {"amin", 1}, {"amina", 1}, {"amir", 1}, {"amit", 1}, {"ana", 2}, {"anderson", 1},
    {"andrei", 1}, {"andrew", 1}, {"anh", 1}, {"ani", 1}, {"anil", 1}, {"anna", 2},
    {"anthony", 1}, {"antonio", 1}, {"anwar", 1}, {"arthur", 1}, {"asad", 1}, {"ashley", 1},
    {"ayu", 1}, {"aziz", 1}, {"bailey", 1}, {"baker", 1}, {"barbara", 1}, {"bautista", 1},
    {"becker", 1}, {"begum", 1}, {"bell", 1}, {"benjamin", 1}, {"bennett", 1}, {"bernard", 1},
    {"betty", 1}, {"bibi", 1}, {"bilal", 1}, {"bin", 2}, {"binti", 2}, {"boonmee", 1},
    {"bose", 1}, {"brandon", 1}, {"brian", 1}, {"brooks", 1}, {"brown", 2}, {"budi", 2},
    {"bui", 1}, {"cai", 1}, {"campbell", 1}, {"cao", 1}, {"carl", 1}, {"carlos", 1}, {"carol", 1},
    {"carter", 1}, {"castillo", 1}, {"castro", 1}, {"charles", 1}, {"chen", 2}, {"cheng", 1},
    {"cho", 1}, {"choi", 2}, {"chowdhury", 1}, {"christopher", 1}, {"clark", 1}, {"collins", 1},
    {"cook", 1}, {"cooper", 1}, {"cox", 1}, {"cruz", 1}, {"dang", 1}, {"daniel", 1}, {"das", 1},
    {"david", 2}, {"davis", 1}, {"deborah", 1}, {"deepak", 1}, {"deng", 1}, {"dennis", 1},
    {"devi", 1}, {"dewi", 2}, {"dian", 1}, {"diaz", 1}, {"dmitry", 1}, {"do", 1}, {"donald", 1},
    {"dong", 1}, {"donna", 1}, {"dorothy", 1}, {"douglas", 1}, {"du", 1}, {"dubois", 1},
    {"duc", 1}, {"duong", 1}, {"durand", 1}, {"dwi", 1}, {"edward", 1}, {"edwards", 1},
    {"eko", 1}, {"elena", 1}, {"elizabeth", 1}, {"emily", 1}, {"emmanuel", 1}, {"eric", 1},
    {"evans", 1}, {"faisal", 1}, {"farouk", 1}, {"faruk", 1}, {"fatimah", 2}, {"feng", 1},
    {"fernando", 1}, {"fischer", 1}, {"flores", 1}, {"foster", 1}, {"francisco", 1}, {"frank", 1},
    {"ganesh", 1}, {"gao", 1}, {"garcia", 2}, {"gary", 1}, {"george", 1}, {"ghosh", 1},
    {"gomez", 1}, {"gonzalez", 2}, {"grace", 1}, {"gray", 1}, {"green", 1}, {"gregory", 1},
    {"gunawan", 1}, {"guo", 1}, {"gupta", 1}, {"gutierrez", 1}, {"hadi", 1}, {"haider", 1},
    {"haji", 2}, {"hakim", 1}, {"halim", 1}, {"hamad", 1}, {"hamed", 1}, {"hameed", 1},
    {"hamid", 2}, {"hamza", 1}, {"hamzah", 1}, {"han", 1}, {"hans", 1}, {"harold", 1},
    {"harris", 1}, {"hartono", 1}, {"haryanto", 1}, {"hasan", 2}, {"hassan", 2}, {"he", 1},
    {"henry", 1}, {"hernandez", 2}, {"heru", 1}, {"hidayat", 1}, {"hill", 1}, {"ho", 1},
    {"hoang", 1}, {"hong", 1}, {"hossain", 1}, {"howard", 1}, {"hu", 1}, {"huang", 2},
    {"hughes", 1}, {"hui", 1}, {"hung", 1}, {"husain", 2}, {"hussain", 1}, {"hussein", 1},
    {"huynh", 1}, {"hwang", 1}, {"hyder", 1}, {"ibrahim", 2}, {"idris", 1}, {"ilyas", 1},
    {"imran", 1}, {"indah", 1}, {"irfan", 1}, {"isa", 1}, {"islam", 1}, {"ismael", 1},
    {"ismail", 1}, {"issa", 1}, {"ito", 1}, {"ivan", 1}, {"ivanov", 1}, {"jaafar", 1},
    {"jack", 1}, {"jackson", 1}, {"jacob", 1}, {"jafar", 1}, {"jamal", 1}, {"james", 2},
    {"jang", 1}, {"jason", 1}, {"javed", 1}, {"jean", 1}, {"jeffrey", 1}, {"jennifer", 1},
    {"jeon", 1}, {"jeong", 1}, {"jerry", 1}, {"jessica", 1}, {"jiang", 1}, {"jie", 1},
    {"jimenez", 1}, {"john", 2}, {"johnson", 2}, {"joko", 1}, {"jonathan", 1}, {"jones", 2},
    {"jorge", 1}, {"jose", 2}, {"joseph", 2}, {"joshi", 1}, {"joshua", 1}, {"juan", 2},
    {"juma", 1}, {"jun", 1}, {"justin", 1}, {"kang", 1}, {"karen", 1}, {"karim", 2}, {"kasim", 1},
    {"kelly", 1}, {"kenneth", 1}, {"kevin", 1}, {"khaled", 1}, {"khalid", 1}, {"khan", 2},
    {"khatun", 1}, {"kim", 2}, {"kimberly", 1}, {"king", 1}, {"klaus", 1}, {"ko", 1},
    {"kobayashi", 1}, {"kumar", 2}, {"kurniawan", 1}, {"kusuma", 1}, {"kwon", 1}, {"kyle", 1},
    {"lakshmi", 1}, {"larry", 1}, {"latif", 1}, {"le", 2}, {"lee", 2}, {"leroy", 1},
    {"lestari", 1}, {"lewis", 1}, {"li", 2}, {"liang", 1}, {"lim", 1}, {"lin", 1}, {"linda", 1},
    {"lisa", 1}, {"liu", 2}, {"long", 1}, {"lopez", 2}, {"lu", 1}, {"luis", 1}, {"luo", 1},
    {"ly", 1}, {"ma", 1}, {"mahesh", 1}, {"mahmud", 2}, {"majid", 1}, {"malik", 1},
    {"mansour", 1}, {"mansur", 1}, {"manuel", 1}, {"margaret", 1}, {"maria", 2}, {"mark", 1},
    {"martin", 1}, {"martinez", 2}, {"mary", 2}, {"matthew", 1}, {"mehta", 1}, {"melissa", 1},
    {"mendoza", 1}, {"meyer", 1}, {"miah", 1}, {"michael", 2}, {"michel", 1}, {"michelle", 1},
    {"miguel", 1}, {"miller", 1}, {"ming", 1}, {"minh", 1}, {"mitchell", 1}, {"mohamed", 1},
    {"mohammad", 1}, {"mohd", 1}, {"moon", 1}, {"moore", 1}, {"morales", 1}, {"moreau", 1},
    {"morgan", 1}, {"morris", 1}, {"moses", 1}, {"mostafa", 1}, {"mueller", 1}, {"muhammad", 2},
    {"muhammed", 1}, {"mukherjee", 1}, {"muller", 1}, {"murphy", 1}, {"musa", 1}, {"mustafa", 1},
    {"myers", 1}, {"nabil", 1}, {"nakamura", 1}, {"nancy", 1}, {"nasir", 1}, {"nasser", 1},
    {"natalia", 1}, {"nathan", 1}, {"nelson", 1}, {"ngo", 1}, {"nguyen", 2}, {"nicholas", 1},
    {"nikolai", 1}, {"noor", 1}, {"nor", 1}, {"nugroho", 1}, {"nur", 2}, {"nurul", 1},
    {"ocampo", 1}, {"oh", 1}, {"olga", 1}, {"omar", 1}, {"ortiz", 1}, {"osman", 1}, {"pan", 1},
    {"park", 2}, {"parker", 1}, {"patricia", 1}, {"patrick", 1}, {"paul", 1}, {"pedro", 1},
    {"peng", 1}, {"perez", 1}, {"peter", 1}, {"peterson", 1}, {"petrov", 1}, {"pham", 2},
    {"phan", 1}, {"philippe", 1}, {"phillips", 1}, {"pierre", 1}, {"pooja", 1}, {"prasert", 1},
    {"prasetyo", 1}, {"pratama", 1}, {"price", 1}, {"priya", 1}, {"purnomo", 1}, {"putra", 2},
    {"putri", 2}, {"qasim", 1}, {"rafael", 1}, {"rahayu", 1}, {"rahim", 1}, {"rahman", 2},
    {"rahmat", 1}, {"rahul", 1}, {"raj", 1}, {"rajesh", 1}, {"ram", 1}, {"ramesh", 1},
    {"ramirez", 1}, {"rao", 1}, {"rashid", 2}, {"rasul", 1}, {"ravi", 1}, {"raymond", 1},
    {"reddy", 1}, {"reed", 1}, {"reyes", 1}, {"ricardo", 1}, {"richard", 1}, {"richardson", 1},
    {"rina", 1}, {"rini", 1}, {"rivera", 1}, {"robert", 2}, {"roberts", 1}, {"robinson", 1},
    {"rodriguez", 2}, {"rogers", 1}, {"romero", 1}, {"ronald", 1}, {"ross", 1}, {"rudi", 1},
    {"ruiz", 1}, {"ryan", 1}, {"said", 2}, {"saleh", 1}, {"salem", 1}, {"salih", 1}, {"salim", 1},
    {"samir", 1}, {"samuel", 1}, {"sanchez", 1}, {"sanders", 1}, {"sandra", 1}, {"sanjay", 1},
    {"santos", 1}, {"santoso", 1}, {"saputra", 1}, {"sarah", 1}, {"sato", 1}, {"sayed", 1},
    {"sayyid", 2}, {"schmidt", 1}, {"schneider", 1}, {"schulz", 1}, {"scott", 1}, {"seo", 1},
    {"sergei", 1}, {"sergey", 1}, {"setiawan", 1}, {"shah", 1}, {"sheikh", 1}, {"shin", 1},
    {"singh", 2}, {"siti", 2}, {"smith", 2}, {"somchai", 1}, {"sompong", 1}, {"somsak", 1},
    {"song", 1}, {"sri", 2}, {"stephanie", 1}, {"stephen", 1}, {"steven", 1}, {"stewart", 1},
    {"su", 1}, {"sun", 1}, {"sunil", 1}, {"suresh", 1}, {"suryadi", 1}, {"susan", 1},
    {"susanti", 1}, {"sutrisno", 1}, {"suzuki", 1}, {"syed", 1}, {"takahashi", 1}, {"tanaka", 1},
    {"tang", 1}, {"tarek", 1}, {"tariq", 1}, {"taylor", 1}, {"thanh", 1}, {"thi", 1},
    {"thomas", 1}, {"thompson", 1}, {"tian", 1}, {"timothy", 1}, {"torres", 1}, {"tran", 2},
    {"tri", 1}, {"tuan", 1}, {"turner", 1}, {"tuti", 1}, {"tyler", 1}, {"uddin", 1}, {"umar", 2},
    {"usman", 2}, {"utomo", 1}, {"van", 1}, {"vargas", 1}, {"verma", 1}, {"vijay", 1},
    {"vladimir", 1}, {"vo", 1}, {"vu", 1}, {"wagner", 1}, {"wahyu", 1}, {"waleed", 1},
    {"walid", 1}, {"walker", 1}, {"walter", 1}, {"wang", 2}, {"ward", 1}, {"watanabe", 1},
    {"wati", 1}, {"watson", 1}, {"weber", 1}, {"wei", 1}, {"white", 1}, {"wijaya", 1},
    {"william", 2}, {"williams", 2}, {"wilson", 1}, {"wood", 1}, {"wright", 1}, {"wu", 2},
    {"wulandari", 1}, {"xiao", 1}, {"xie", 1}, {"xu", 1}, {"yahya", 1}, {"yamamoto", 1},
    {"yan", 1}, {"yang", 2}, {"yanto", 1}, {"yasin", 1}, {"yassin", 1}, {"ye", 1}, {"yoko", 1},
    {"yoo", 1}, {"yoon", 1}, {"young", 1}, {"yu", 1}, {"yuan", 1}, {"yulianti", 1}, {"yuni", 1},
    {"yusuf", 2}, {"zachary", 1}, {"zainal", 1}, {"zakaria", 1}, {"zeng", 1}, {"zhang", 2},
    {"zhao", 2}, {"zheng", 1}, {"zhou", 2}, {"zhu", 1},
};

static const char *const vclass_heads[] = {
    "",
    "muhammad",
    "ahmad",
    "abdul",
    "abdullah",
    "nur",
    "siti",
    "abu",
    "bin",
    "al",
    "yusuf",
    "husain",
    "umar",
    "mahmud",
    "usman",
    "ibrahim",
    "zainal",
    "aisyah",
    "fatimah",
    "rahman",
    "sayyid",
    "kim",
    "lee",
    "park",
    "choi",
    "kang",
    "kwon",
    "alexander",
    "benjamin",
    "charles",
    "christopher",
    "daniel",
    "david",
    "dmitry",
    "edward",
    "elizabeth",
    "henry",
    "james",
    "john",
    "joseph",
    "katherine",
    "margaret",
    "michael",
    "mikhail",
    "nicholas",
    "nikolai",
    "patrick",
    "richard",
    "robert",
    "samuel",
    "stephen",
    "theodore",
    "thomas",
    "timothy",
    "vladimir",
    "william",
};

static const char *const vclass_labels[] = {
    "",
    "MUHAMMAD",
    "AHMAD",
    "ABDUL",
    "ABDULLAH",
    "NUR",
    "SITI",
    "ABU",
    "BIN",
    "AL",
    "YUSUF",
    "HUSAIN",
    "OMAR",
    "MAHMUD",
    "USMAN",
    "IBRAHIM",
    "ZAINAL",
    "AISYAH",
    "FATIMAH",
    "RAHMAN",
    "SAYED",
    "KIM",
    "LEE",
    "PARK",
    "CHOI",
    "KANG",
    "KWON",
    "ALEXANDER",
    "BENJAMIN",
    "CHARLES",
    "CHRISTOPHER",
    "DANIEL",
    "DAVID",
    "DMITRY",
    "EDWARD",
    "ELIZABETH",
    "HENRY",
    "JAMES",
    "JOHN",
    "JOSEPH",
    "KATHERINE",
    "MARGARET",
    "MICHAEL",
    "MIKHAIL",
    "NICHOLAS",
    "NIKOLAI",
    "PATRICK",
    "RICHARD",
    "ROBERT",
    "SAMUEL",
    "STEPHEN",
    "THEODORE",
    "THOMAS",
    "TIMOTHY",
    "VLADIMIR",
    "WILLIAM",
};

static const struct names_country countries[] = {
    {"abw", "ABW"}, {"ad", "AND"}, {"ae", "ARE"}, {"af", "AFG"}, {"afg", "AFG"},
    {"afghanistan", "AFG"}, {"ag", "ATG"}, {"ago", "AGO"}, {"ai", "AIA"}, {"aia", "AIA"},
    {"al", "ALB"}, {"ala", "ALA"}, {"alandislands", "ALA"}, {"alb", "ALB"}, {"albania", "ALB"},
    {"algeria", "DZA"}, {"am", "ARM"}, {"americansamoa", "ASM"}, {"and", "AND"},
    {"andorra", "AND"}, {"angola", "AGO"}, {"anguilla", "AIA"}, {"antiguaandbarbuda", "ATG"},
    {"ao", "AGO"}, {"ar", "ARG"}, {"are", "ARE"}, {"arg", "ARG"}, {"argentina", "ARG"},
    {"arm", "ARM"}, {"armenia", "ARM"}, {"aruba", "ABW"}, {"as", "ASM"}, {"asm", "ASM"},
    {"at", "AUT"}, {"atg", "ATG"}, {"au", "AUS"}, {"aus", "AUS"}, {"australia", "AUS"},
    {"austria", "AUT"}, {"aut", "AUT"}, {"aw", "ABW"}, {"ax", "ALA"}, {"az", "AZE"},
    {"aze", "AZE"}, {"azerbaijan", "AZE"}, {"ba", "BIH"}, {"bahamas", "BHS"}, {"bahrain", "BHR"},
    {"bangladesh", "BGD"}, {"barbados", "BRB"}, {"bb", "BRB"}, {"bd", "BGD"}, {"bdi", "BDI"},
    {"be", "BEL"}, {"bel", "BEL"}, {"belarus", "BLR"}, {"belgium", "BEL"}, {"belize", "BLZ"},
    {"ben", "BEN"}, {"benin", "BEN"}, {"bermuda", "BMU"}, {"bf", "BFA"}, {"bfa", "BFA"},
    {"bg", "BGR"}, {"bgd", "BGD"}, {"bgr", "BGR"}, {"bh", "BHR"}, {"bhr", "BHR"}, {"bhs", "BHS"},
    {"bhutan", "BTN"}, {"bi", "BDI"}, {"bih", "BIH"}, {"bj", "BEN"}, {"blr", "BLR"},
    {"blz", "BLZ"}, {"bm", "BMU"}, {"bmu", "BMU"}, {"bn", "BRN"}, {"bo", "BOL"}, {"bol", "BOL"},
    {"bolivia", "BOL"}, {"boliviaplurinationalstateof", "BOL"}, {"bosniaandherzegovina", "BIH"},
    {"botswana", "BWA"}, {"br", "BRA"}, {"bra", "BRA"}, {"brazil", "BRA"}, {"brb", "BRB"},
    {"brn", "BRN"}, {"brunei", "BRN"}, {"bruneidarussalam", "BRN"}, {"bs", "BHS"}, {"bt", "BTN"},
    {"btn", "BTN"}, {"bulgaria", "BGR"}, {"burkinafaso", "BFA"}, {"burma", "MMR"},
    {"burundi", "BDI"}, {"bw", "BWA"}, {"bwa", "BWA"}, {"by", "BLR"}, {"bz", "BLZ"},
    {"ca", "CAN"}, {"caboverde", "CPV"}, {"caf", "CAF"}, {"cambodia", "KHM"}, {"cameroon", "CMR"},
    {"can", "CAN"}, {"canada", "CAN"}, {"capeverde", "CPV"}, {"cd", "COD"},
    {"centralafricanrepublic", "CAF"}, {"cf", "CAF"}, {"cg", "COG"}, {"ch", "CHE"},
    {"chad", "TCD"}, {"che", "CHE"}, {"chile", "CHL"}, {"china", "CHN"},
    {"chinahongkongsar", "HKG"}, {"chl", "CHL"}, {"chn", "CHN"}, {"ci", "CIV"}, {"civ", "CIV"},
    {"cl", "CHL"}, {"cm", "CMR"}, {"cmr", "CMR"}, {"cn", "CHN"}, {"co", "COL"}, {"cod", "COD"},
    {"cog", "COG"}, {"col", "COL"}, {"colombia", "COL"}, {"com", "COM"}, {"comoros", "COM"},
    {"congo", "COG"}, {"congodemocraticrepublicofthe", "COD"}, {"costarica", "CRI"},
    {"cotedivoire", "CIV"}, {"cpv", "CPV"}, {"cr", "CRI"}, {"cri", "CRI"}, {"croatia", "HRV"},
    {"cu", "CUB"}, {"cub", "CUB"}, {"cuba", "CUB"}, {"cv", "CPV"}, {"cy", "CYP"}, {"cyp", "CYP"},
    {"cyprus", "CYP"}, {"cz", "CZE"}, {"cze", "CZE"}, {"czechia", "CZE"},
    {"czechrepublic", "CZE"}, {"d", "D"}, {"de", "D"},
    {"democraticpeoplesrepublicofkorea", "PRK"}, {"democraticrepublicofthecongo", "COD"},
    {"denmark", "DNK"}, {"deu", "D"}, {"dj", "DJI"}, {"dji", "DJI"}, {"djibouti", "DJI"},
    {"dk", "DNK"}, {"dm", "DMA"}, {"dma", "DMA"}, {"dnk", "DNK"}, {"do", "DOM"}, {"dom", "DOM"},
    {"dominica", "DMA"}, {"dominicanrepublic", "DOM"}, {"dprk", "PRK"}, {"drcongo", "COD"},
    {"dz", "DZA"}, {"dza", "DZA"}, {"easttimor", "TLS"}, {"ec", "ECU"}, {"ecu", "ECU"},
    {"ecuador", "ECU"}, {"ee", "EST"}, {"eg", "EGY"}, {"egy", "EGY"}, {"egypt", "EGY"},
    {"elsalvador", "SLV"}, {"equatorialguinea", "GNQ"}, {"er", "ERI"}, {"eri", "ERI"},
    {"eritrea", "ERI"}, {"es", "ESP"}, {"esp", "ESP"}, {"est", "EST"}, {"estonia", "EST"},
    {"eswatini", "SWZ"}, {"et", "ETH"}, {"eth", "ETH"}, {"ethiopia", "ETH"}, {"fi", "FIN"},
    {"fiji", "FJI"}, {"fin", "FIN"}, {"finland", "FIN"}, {"fj", "FJI"}, {"fji", "FJI"},
    {"fm", "FSM"}, {"fr", "FRA"}, {"fra", "FRA"}, {"france", "FRA"}, {"fsm", "FSM"},
    {"ga", "GAB"}, {"gab", "GAB"}, {"gabon", "GAB"}, {"gambia", "GMB"}, {"gaza", "PSE"},
    {"gb", "GBR"}, {"gbr", "GBR"}, {"gd", "GRD"}, {"ge", "GEO"}, {"geo", "GEO"},
    {"georgia", "GEO"}, {"germany", "D"}, {"gh", "GHA"}, {"gha", "GHA"}, {"ghana", "GHA"},
    {"gin", "GIN"}, {"gm", "GMB"}, {"gmb", "GMB"}, {"gn", "GIN"}, {"gnb", "GNB"}, {"gnq", "GNQ"},
    {"gq", "GNQ"}, {"gr", "GRC"}, {"grc", "GRC"}, {"grd", "GRD"}, {"greatbritain", "GBR"},
    {"greece", "GRC"}, {"grenada", "GRD"}, {"gt", "GTM"}, {"gtm", "GTM"}, {"guatemala", "GTM"},
    {"guinea", "GIN"}, {"guineabissau", "GNB"}, {"guy", "GUY"}, {"guyana", "GUY"}, {"gw", "GNB"},
    {"gy", "GUY"}, {"haiti", "HTI"}, {"hk", "HKG"}, {"hkg", "HKG"}, {"hn", "HND"}, {"hnd", "HND"},
    {"holysee", "VAT"}, {"honduras", "HND"}, {"hongkong", "HKG"}, {"hr", "HRV"}, {"hrv", "HRV"},
    {"ht", "HTI"}, {"hti", "HTI"}, {"hu", "HUN"}, {"hun", "HUN"}, {"hungary", "HUN"},
    {"iceland", "ISL"}, {"id", "IDN"}, {"idn", "IDN"}, {"ie", "IRL"}, {"il", "ISR"},
    {"in", "IND"}, {"ind", "IND"}, {"india", "IND"}, {"indonesia", "IDN"}, {"iq", "IRQ"},
    {"ir", "IRN"}, {"iran", "IRN"}, {"iranislamicrepublicof", "IRN"}, {"iraq", "IRQ"},
    {"ireland", "IRL"}, {"irl", "IRL"}, {"irn", "IRN"}, {"irq", "IRQ"}, {"is", "ISL"},
    {"isl", "ISL"}, {"islamicrepublicofiran", "IRN"}, {"isr", "ISR"}, {"israel", "ISR"},
    {"it", "ITA"}, {"ita", "ITA"}, {"italy", "ITA"}, {"ivorycoast", "CIV"}, {"jam", "JAM"},
    {"jamaica", "JAM"}, {"japan", "JPN"}, {"jm", "JAM"}, {"jo", "JOR"}, {"jor", "JOR"},
    {"jordan", "JOR"}, {"jp", "JPN"}, {"jpn", "JPN"}, {"kaz", "KAZ"}, {"kazakhstan", "KAZ"},
    {"ke", "KEN"}, {"ken", "KEN"}, {"kenya", "KEN"}, {"kg", "KGZ"}, {"kgz", "KGZ"}, {"kh", "KHM"},
    {"khm", "KHM"}, {"ki", "KIR"}, {"kir", "KIR"}, {"kiribati", "KIR"}, {"km", "COM"},
    {"kn", "KNA"}, {"kna", "KNA"}, {"kor", "KOR"}, {"korea", "KOR"}, {"koreanorth", "PRK"},
    {"koreasouth", "KOR"}, {"kosovo", "RKS"}, {"kp", "PRK"}, {"kr", "KOR"}, {"kuwait", "KWT"},
    {"kw", "KWT"}, {"kwt", "KWT"}, {"kyrgyzstan", "KGZ"}, {"kz", "KAZ"}, {"la", "LAO"},
    {"lao", "LAO"}, {"laopeoplesdemocraticrepublic", "LAO"}, {"laos", "LAO"}, {"latvia", "LVA"},
    {"lb", "LBN"}, {"lbn", "LBN"}, {"lbr", "LBR"}, {"lby", "LBY"}, {"lc", "LCA"}, {"lca", "LCA"},
    {"lebanon", "LBN"}, {"lesotho", "LSO"}, {"li", "LIE"}, {"liberia", "LBR"}, {"libya", "LBY"},
    {"libyanarabjamahiriya", "LBY"}, {"lie", "LIE"}, {"liechtenstein", "LIE"},
    {"lithuania", "LTU"}, {"lk", "LKA"}, {"lka", "LKA"}, {"lr", "LBR"}, {"ls", "LSO"},
    {"lso", "LSO"}, {"lt", "LTU"}, {"ltu", "LTU"}, {"lu", "LUX"}, {"lux", "LUX"},
    {"luxembourg", "LUX"}, {"lv", "LVA"}, {"lva", "LVA"}, {"ly", "LBY"}, {"ma", "MAR"},
    {"mac", "MAC"}, {"macao", "MAC"}, {"macau", "MAC"}, {"macedonia", "MKD"},
    {"madagascar", "MDG"}, {"malawi", "MWI"}, {"malaysia", "MYS"}, {"maldives", "MDV"},
    {"mali", "MLI"}, {"malta", "MLT"}, {"mar", "MAR"}, {"marshallislands", "MHL"},
    {"mauritania", "MRT"}, {"mauritius", "MUS"}, {"mc", "MCO"}, {"mco", "MCO"}, {"md", "MDA"},
    {"mda", "MDA"}, {"mdg", "MDG"}, {"mdv", "MDV"}, {"me", "MNE"}, {"mex", "MEX"},
    {"mexico", "MEX"}, {"mg", "MDG"}, {"mh", "MHL"}, {"mhl", "MHL"}, {"micronesia", "FSM"},
    {"mk", "MKD"}, {"mkd", "MKD"}, {"ml", "MLI"}, {"mli", "MLI"}, {"mlt", "MLT"}, {"mm", "MMR"},
    {"mmr", "MMR"}, {"mn", "MNG"}, {"mne", "MNE"}, {"mng", "MNG"}, {"mo", "MAC"},
    {"moldova", "MDA"}, {"monaco", "MCO"}, {"mongolia", "MNG"}, {"montenegro", "MNE"},
    {"morocco", "MAR"}, {"moz", "MOZ"}, {"mozambique", "MOZ"}, {"mr", "MRT"}, {"mrt", "MRT"},
    {"mt", "MLT"}, {"mu", "MUS"}, {"mus", "MUS"}, {"mv", "MDV"}, {"mw", "MWI"}, {"mwi", "MWI"},
    {"mx", "MEX"}, {"my", "MYS"}, {"myanmar", "MMR"}, {"mys", "MYS"}, {"mz", "MOZ"},
    {"na", "NAM"}, {"nam", "NAM"}, {"namibia", "NAM"}, {"nauru", "NRU"}, {"ne", "NER"},
    {"nepal", "NPL"}, {"ner", "NER"}, {"netherlands", "NLD"}, {"newzealand", "NZL"},
    {"ng", "NGA"}, {"nga", "NGA"}, {"ni", "NIC"}, {"nic", "NIC"}, {"nicaragua", "NIC"},
    {"niger", "NER"}, {"nigeria", "NGA"}, {"nl", "NLD"}, {"nld", "NLD"}, {"no", "NOR"},
    {"nor", "NOR"}, {"northkorea", "PRK"}, {"northmacedonia", "MKD"}, {"norway", "NOR"},
    {"np", "NPL"}, {"npl", "NPL"}, {"nr", "NRU"}, {"nru", "NRU"}, {"nz", "NZL"}, {"nzl", "NZL"},
    {"om", "OMN"}, {"oman", "OMN"}, {"omn", "OMN"}, {"pa", "PAN"}, {"pak", "PAK"},
    {"pakistan", "PAK"}, {"palau", "PLW"}, {"palestine", "PSE"}, {"pan", "PAN"},
    {"panama", "PAN"}, {"papuanewguinea", "PNG"}, {"paraguay", "PRY"}, {"pe", "PER"},
    {"per", "PER"}, {"peru", "PER"}, {"pg", "PNG"}, {"ph", "PHL"}, {"philippines", "PHL"},
    {"phl", "PHL"}, {"pk", "PAK"}, {"pl", "POL"}, {"plw", "PLW"}, {"png", "PNG"}, {"pol", "POL"},
    {"poland", "POL"}, {"portugal", "PRT"}, {"pr", "PRI"}, {"pri", "PRI"}, {"prk", "PRK"},
    {"prt", "PRT"}, {"pry", "PRY"}, {"ps", "PSE"}, {"pse", "PSE"}, {"pt", "PRT"},
    {"puertorico", "PRI"}, {"pw", "PLW"}, {"py", "PRY"}, {"qa", "QAT"}, {"qat", "QAT"},
    {"qatar", "QAT"}, {"republicofkorea", "KOR"}, {"republicofmoldova", "MDA"},
    {"republicofthecongo", "COG"}, {"rks", "RKS"}, {"ro", "ROU"}, {"romania", "ROU"},
    {"rou", "ROU"}, {"rs", "SRB"}, {"ru", "RUS"}, {"rus", "RUS"}, {"russia", "RUS"},
    {"russianfederation", "RUS"}, {"rw", "RWA"}, {"rwa", "RWA"}, {"rwanda", "RWA"}, {"sa", "SAU"},
    {"saintkittsandnevis", "KNA"}, {"saintlucia", "LCA"}, {"saintvincentandthegrenadines", "VCT"},
    {"samoa", "WSM"}, {"sanmarino", "SMR"}, {"saotomeandprincipe", "STP"}, {"sau", "SAU"},
    {"saudiarabia", "SAU"}, {"sb", "SLB"}, {"sc", "SYC"}, {"sd", "SDN"}, {"sdn", "SDN"},
    {"se", "SWE"}, {"sen", "SEN"}, {"senegal", "SEN"}, {"serbia", "SRB"}, {"seychelles", "SYC"},
    {"sg", "SGP"}, {"sgp", "SGP"}, {"si", "SVN"}, {"sierraleone", "SLE"}, {"singapore", "SGP"},
    {"sk", "SVK"}, {"sl", "SLE"}, {"slb", "SLB"}, {"sle", "SLE"}, {"slovakia", "SVK"},
    {"slovenia", "SVN"}, {"slv", "SLV"}, {"sm", "SMR"}, {"smr", "SMR"}, {"sn", "SEN"},
    {"so", "SOM"}, {"solomonislands", "SLB"}, {"som", "SOM"}, {"somalia", "SOM"},
    {"southafrica", "ZAF"}, {"southkorea", "KOR"}, {"southsudan", "SSD"}, {"spain", "ESP"},
    {"sr", "SUR"}, {"srb", "SRB"}, {"srilanka", "LKA"}, {"ss", "SSD"}, {"ssd", "SSD"},
    {"st", "STP"}, {"stateofpalestine", "PSE"}, {"stp", "STP"}, {"sudan", "SDN"}, {"sur", "SUR"},
    {"suriname", "SUR"}, {"sv", "SLV"}, {"svk", "SVK"}, {"svn", "SVN"}, {"swaziland", "SWZ"},
    {"swe", "SWE"}, {"sweden", "SWE"}, {"switzerland", "CHE"}, {"swz", "SWZ"}, {"sy", "SYR"},
    {"syc", "SYC"}, {"syr", "SYR"}, {"syria", "SYR"}, {"syrianarabrepublic", "SYR"},
    {"sz", "SWZ"}, {"taiwan", "TWN"}, {"tajikistan", "TJK"}, {"tanzania", "TZA"}, {"tcd", "TCD"},
    {"td", "TCD"}, {"tg", "TGO"}, {"tgo", "TGO"}, {"th", "THA"}, {"tha", "THA"},
    {"thailand", "THA"}, {"thebahamas", "BHS"}, {"theformeryugoslavrepublicofmacedonia", "MKD"},
    {"thegambia", "GMB"}, {"thenetherlands", "NLD"}, {"timorleste", "TLS"}, {"tj", "TJK"},
    {"tjk", "TJK"}, {"tkm", "TKM"}, {"tl", "TLS"}, {"tls", "TLS"}, {"tm", "TKM"}, {"tn", "TUN"},
    {"to", "TON"}, {"togo", "TGO"}, {"ton", "TON"}, {"tonga", "TON"}, {"tr", "TUR"},
    {"trinidadandtobago", "TTO"}, {"tt", "TTO"}, {"tto", "TTO"}, {"tun", "TUN"},
    {"tunisia", "TUN"}, {"tur", "TUR"}, {"turkey", "TUR"}, {"turkiye", "TUR"},
    {"turkmenistan", "TKM"}, {"tuv", "TUV"}, {"tuvalu", "TUV"}, {"tv", "TUV"}, {"tw", "TWN"},
    {"twn", "TWN"}, {"tz", "TZA"}, {"tza", "TZA"}, {"ua", "UKR"}, {"uae", "ARE"}, {"ug", "UGA"},
    {"uga", "UGA"}, {"uganda", "UGA"}, {"uk", "GBR"}, {"ukr", "UKR"}, {"ukraine", "UKR"},
    {"unitedarabemirates", "ARE"}, {"unitedkingdom", "GBR"},
    {"unitedkingdomofgreatbritainandnorthernireland", "GBR"}, {"unitedrepublicoftanzania", "TZA"},
    {"unitedstates", "USA"}, {"unitedstatesofamerica", "USA"}, {"uruguay", "URY"}, {"ury", "URY"},
    {"us", "USA"}, {"usa", "USA"}, {"uto", "UTO"}, {"utopia", "UTO"}, {"uy", "URY"},
    {"uz", "UZB"}, {"uzb", "UZB"}, {"uzbekistan", "UZB"}, {"va", "VAT"}, {"vanuatu", "VUT"},
    {"vat", "VAT"}, {"vatican", "VAT"}, {"vc", "VCT"}, {"vct", "VCT"}, {"ve", "VEN"},
    {"ven", "VEN"}, {"venezuela", "VEN"}, {"venezuelabolivarianrepublicof", "VEN"},
    {"vietnam", "VNM"}, {"vn", "VNM"}, {"vnm", "VNM"}, {"vu", "VUT"}, {"vut", "VUT"},
    {"westbank", "PSE"}, {"ws", "WSM"}, {"wsm", "WSM"}, {"xk", "RKS"}, {"ye", "YEM"},
    {"yem", "YEM"}, {"yemen", "YEM"}, {"za", "ZAF"}, {"zaf", "ZAF"}, {"zambia", "ZMB"},
    {"zimbabwe", "ZWE"}, {"zm", "ZMB"}, {"zmb", "ZMB"}, {"zw", "ZWE"}, {"zwe", "ZWE"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_word(const char *w, size_t len, const char *entry)
{
    int c = strncmp(w, entry, len);
    if (c != 0)
        return c;
    return entry[len] == '\0' ? 0 : -1;
}

static uint8_t lookup(const struct names_word *tab, size_t n, const char *w, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_word(w, len, tab[mid].w);
        if (c == 0)
            return tab[mid].v;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Every token of every name is looked up in each table, so the tables get
 * a hash index each, built once: open addressing over twice the entries
 * (slot = entry index + 1, 0 empty). Until it is built, and should a table
 * ever outgrow the uint16 slots, the binary search answers. */
struct tab_index {
    const struct names_word *tab;
    size_t n, cap;
    uint16_t *slot;
};

/* The least power of two at or above x (x >= 1, below 2^32), for a slot
 * count that a mask can wrap. */
#define P2_S1(v) ((v) | ((v) >> 1))
#define P2_S2(v) ((v) | ((v) >> 2))
#define P2_S4(v) ((v) | ((v) >> 4))
#define P2_S8(v) ((v) | ((v) >> 8))
#define P2_S16(v) ((v) | ((v) >> 16))
#define NEXT_POW2(x) (P2_S16(P2_S8(P2_S4(P2_S2(P2_S1((x) - 1))))) + 1)
#define INDEX_SLOTS(t) NEXT_POW2(2 * COUNT(t) + 1)
static uint16_t title_slots[INDEX_SLOTS(title_words)], particle_slots[INDEX_SLOTS(particle_words)],
    birth_slots[INDEX_SLOTS(birth_words)], vclass_slots[INDEX_SLOTS(vclass_words)],
    common_slots[INDEX_SLOTS(common_words)];
#define POW2_AT_LEAST(n, t) (((n) & ((n) - 1)) == 0 && (n) >= 2 * COUNT(t) + 1)
_Static_assert(POW2_AT_LEAST(INDEX_SLOTS(title_words), title_words) &&
                   POW2_AT_LEAST(INDEX_SLOTS(particle_words), particle_words) &&
                   POW2_AT_LEAST(INDEX_SLOTS(birth_words), birth_words) &&
                   POW2_AT_LEAST(INDEX_SLOTS(vclass_words), vclass_words) &&
                   POW2_AT_LEAST(INDEX_SLOTS(common_words), common_words),
               "index slots: a power of two, over twice the words");
static struct tab_index indexes[] = {
    {title_words, COUNT(title_words), INDEX_SLOTS(title_words), title_slots},
    {particle_words, COUNT(particle_words), INDEX_SLOTS(particle_words), particle_slots},
    {birth_words, COUNT(birth_words), INDEX_SLOTS(birth_words), birth_slots},
    {vclass_words, COUNT(vclass_words), INDEX_SLOTS(vclass_words), vclass_slots},
    {common_words, COUNT(common_words), INDEX_SLOTS(common_words), common_slots},
};
enum { IX_TITLE, IX_PARTICLE, IX_BIRTH, IX_VCLASS, IX_COMMON };
static pthread_once_t indexes_once = PTHREAD_ONCE_INIT;
static atomic_bool indexes_ready;

static size_t word_hash(const char *w, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

static void indexes_build(void)
{
    for (size_t t = 0; t < COUNT(indexes); t++) {
        struct tab_index *x = &indexes[t];
        if (x->n >= UINT16_MAX)
            return; /* binary search for all */
        for (size_t i = 0; i < x->n; i++) {
            size_t h = word_hash(x->tab[i].w, strlen(x->tab[i].w)) & (x->cap - 1);
            while (x->slot[h] != 0)
                h = (h + 1) & (x->cap - 1);
            x->slot[h] = (uint16_t)(i + 1);
        }
    }
    atomic_store(&indexes_ready, true);
}

static uint8_t lookup_ix(int which, const char *w, size_t len)
{
    const struct tab_index *x = &indexes[which];
    if (!atomic_load_explicit(&indexes_ready, memory_order_acquire)) {
        (void)pthread_once(&indexes_once, indexes_build);
        if (!atomic_load(&indexes_ready))
            return lookup(x->tab, x->n, w, len);
    }
    size_t mask = x->cap - 1; /* a power of two (INDEX_SLOTS) */
    for (size_t h = word_hash(w, len) & mask; x->slot[h] != 0; h = (h + 1) & mask) {
        const struct names_word *e = &x->tab[x->slot[h] - 1];
        if (cmp_word(w, len, e->w) == 0)
            return e->v;
    }
    return 0;
}

uint8_t names_tab_title(const char *w, size_t len)
{
    return lookup_ix(IX_TITLE, w, len);
}

uint8_t names_tab_particle(const char *w, size_t len)
{
    return lookup_ix(IX_PARTICLE, w, len);
}

uint8_t names_tab_birth_order(const char *w, size_t len)
{
    return lookup_ix(IX_BIRTH, w, len);
}

uint8_t names_tab_vclass(const char *w, size_t len)
{
    return lookup_ix(IX_VCLASS, w, len);
}

uint8_t names_tab_common(const char *w, size_t len)
{
    return lookup_ix(IX_COMMON, w, len);
}

const char *names_tab_vclass_head(uint8_t id)
{
    return id < COUNT(vclass_heads) ? vclass_heads[id] : "";
}

const char *names_tab_vclass_label(uint8_t id)
{
    return id < COUNT(vclass_labels) ? vclass_labels[id] : "";
}

const char *names_tab_country(const char *lower, size_t len)
{
    size_t lo = 0, hi = COUNT(countries);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_word(lower, len, countries[mid].key);
        if (c == 0)
            return countries[mid].a3;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *names_tab_country_key(size_t i)
{
    return i < COUNT(countries) ? countries[i].key : NULL;
}

const struct names_table *names_tab_all(size_t *n)
{
    static const struct names_table all[] = {
        {"title", title_words, COUNT(title_words)},
        {"particle", particle_words, COUNT(particle_words)},
        {"birth_order", birth_words, COUNT(birth_words)},
        {"vclass", vclass_words, COUNT(vclass_words)},
        {"common", common_words, COUNT(common_words)},
    };
    *n = COUNT(all);
    return all;
}
