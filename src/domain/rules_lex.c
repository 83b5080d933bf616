/* rules_lex: the lexer of the rules language. It walks a bounded cursor over
 * the source (already checked to be valid UTF-8 without NULs), skips blanks
 * and '#' comments, and yields names, whole numbers, quoted texts, operators
 * and keywords with their line and column (columns count characters, not
 * bytes). Quoted texts stay raw here; the parser undoes their escapes. */
#include <stdio.h>
#include <string.h>

#include "domain/rules_int.h"
#include "util/text.h"

static const struct {
    const char *word;
    enum rs_tok tok;
} keywords[] = {
    {"rule", K_RULE},
    {"list", K_LIST},
    {"threshold", K_THRESHOLD},
    {"schema", K_SCHEMA},
    {"when", K_WHEN},
    {"then", K_THEN},
    {"score", K_SCORE},
    {"reason", K_REASON},
    {"and", K_AND},
    {"or", K_OR},
    {"not", K_NOT},
    {"in", K_IN},
    {"contains", K_CONTAINS},
    {"known", K_KNOWN},
    {"missing", K_MISSING},
    {"count", K_COUNT},
    {"true", K_TRUE},
    {"false", K_FALSE},
    {"secondary", K_SECONDARY},
    {"refuse", K_REFUSE},
    {"protect", K_PROTECT},
};

void rules_lex_init(struct rs_lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
    lx->err[0] = '\0';
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        lx->pos = 3; /* a byte-order mark, as some editors write: not a character */
}

static int peekc(const struct rs_lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

/* Consumes one byte, keeping line and column. */
static void adv(struct rs_lexer *lx)
{
    unsigned char c = (unsigned char)lx->src[lx->pos++];
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static void skip_blanks(struct rs_lexer *lx)
{
    for (;;) {
        int c = peekc(lx, 0);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            adv(lx);
        } else if (c == '#') {
            while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
                adv(lx);
        } else {
            return;
        }
    }
}

static void lex_error(struct rs_lexer *lx, struct rs_token *t, const char *msg)
{
    t->t = T_ERROR;
    snprintf(lx->err, sizeof lx->err, "%s", msg);
}

static void lex_name(struct rs_lexer *lx, struct rs_token *t)
{
    for (;;) {
        while (is_alpha(peekc(lx, 0)) || is_digit(peekc(lx, 0)))
            adv(lx);
        if (peekc(lx, 0) == '.' && is_alpha(peekc(lx, 1)))
            adv(lx);
        else
            break;
    }
    t->len = lx->pos - t->pos;
    t->t = T_IDENT;
    if (t->len > RULES_MAX_NAME) {
        lex_error(lx, t, "name is longer than 64 characters");
        return;
    }
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
        if (strlen(keywords[i].word) == t->len &&
            memcmp(keywords[i].word, lx->src + t->pos, t->len) == 0) {
            t->t = keywords[i].tok;
            return;
        }
    }
}

static void lex_number(struct rs_lexer *lx, struct rs_token *t)
{
    int64_t v = 0;
    bool big = false;
    while (is_digit(peekc(lx, 0))) {
        v = v * 10 + (peekc(lx, 0) - '0');
        if (v > RULES_MAX_NUMBER) {
            big = true;
            v = 0;
        }
        adv(lx);
    }
    t->len = lx->pos - t->pos;
    if (is_alpha(peekc(lx, 0)) || peekc(lx, 0) == '.') {
        while (is_alpha(peekc(lx, 0)) || is_digit(peekc(lx, 0)) || peekc(lx, 0) == '.')
            adv(lx);
        lex_error(lx, t, "malformed number (numbers are whole numbers such as 30)");
        return;
    }
    if (big) {
        lex_error(lx, t, "number is too large");
        return;
    }
    t->t = T_NUM;
    t->num = v;
}

static void lex_string(struct rs_lexer *lx, struct rs_token *t)
{
    adv(lx); /* opening quote */
    size_t start = lx->pos;
    uint32_t bad_col = 0;
    for (;;) {
        int c = peekc(lx, 0);
        if (c == -1 || c == '\n' || c == '\r') {
            lex_error(lx, t, "unterminated text: a quoted text must end on the same line");
            return;
        }
        if (c == '"')
            break;
        if (c == '\\') {
            int e = peekc(lx, 1);
            if (e != '"' && e != '\\' && bad_col == 0)
                bad_col = lx->col;
            if (e == '"' || e == '\\')
                adv(lx);
        }
        adv(lx);
    }
    t->pos = start;
    t->len = lx->pos - start;
    adv(lx); /* closing quote */
    if (bad_col != 0) {
        t->col = bad_col;
        lex_error(lx, t, "unknown escape in text (only \\\" and \\\\ are allowed)");
        return;
    }
    const char *why = text_check_free(lx->src + start, t->len, RULES_MAX_STRING, false);
    if (why != NULL) {
        char msg[RULES_DIAG_TEXT];
        snprintf(msg, sizeof msg, "quoted text %s (at most %u bytes, no control characters)", why,
                 RULES_MAX_STRING);
        lex_error(lx, t, msg);
        return;
    }
    t->t = T_STR;
}

/* Operators and punctuation; returns false when c starts none. */
static bool lex_punct(struct rs_lexer *lx, struct rs_token *t, int c)
{
    static const struct {
        char c;
        enum rs_tok one, with_eq;
    } ops[] = {
        {'(', T_LPAREN, T_LPAREN}, {')', T_RPAREN, T_RPAREN}, {'[', T_LBRACK, T_LBRACK},
        {']', T_RBRACK, T_RBRACK}, {',', T_COMMA, T_COMMA},   {':', T_COLON, T_COLON},
        {'-', T_MINUS, T_MINUS},   {'=', T_EQ, T_EQ},         {'<', T_LT, T_LE},
        {'>', T_GT, T_GE},         {'!', T_ERROR, T_NE},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i].c != c)
            continue;
        adv(lx);
        bool eq = (c == '=' || c == '<' || c == '>' || c == '!') && peekc(lx, 0) == '=';
        if (eq)
            adv(lx);
        t->t = eq ? ops[i].with_eq : ops[i].one;
        if (t->t == T_ERROR)
            lex_error(lx, t, "unexpected '!' (write != or not)");
        t->len = lx->pos - t->pos;
        return true;
    }
    return false;
}

void rules_lex_next(struct rs_lexer *lx, struct rs_token *t)
{
    skip_blanks(lx);
    memset(t, 0, sizeof *t);
    t->line = lx->line;
    t->col = lx->col;
    t->pos = lx->pos;
    int c = peekc(lx, 0);
    if (c == -1) {
        t->t = T_EOF;
    } else if (is_alpha(c)) {
        lex_name(lx, t);
    } else if (is_digit(c)) {
        lex_number(lx, t);
    } else if (c == '"') {
        lex_string(lx, t);
    } else if (!lex_punct(lx, t, c)) {
        adv(lx);
        while (peekc(lx, 0) != -1 && (peekc(lx, 0) & 0xC0) == 0x80)
            adv(lx);
        if (c < 0x20 || c == 0x7F)
            lex_error(lx, t, "unexpected control character");
        else if (c >= 0x80)
            lex_error(lx, t, "unexpected character (non-ASCII text must be quoted)");
        else {
            char msg[64];
            snprintf(msg, sizeof msg, "unexpected character '%c'", c);
            lex_error(lx, t, msg);
        }
    }
}

const char *rules_tok_name(enum rs_tok t)
{
    static const char *const names[] = {
        [T_EOF] = "the end of the file",
        [T_ERROR] = "an error",
        [T_IDENT] = "a name",
        [T_NUM] = "a number",
        [T_STR] = "a quoted text",
        [T_LPAREN] = "'('",
        [T_RPAREN] = "')'",
        [T_LBRACK] = "'['",
        [T_RBRACK] = "']'",
        [T_COMMA] = "','",
        [T_COLON] = "':'",
        [T_MINUS] = "'-'",
        [T_EQ] = "'='",
        [T_NE] = "'!='",
        [T_LT] = "'<'",
        [T_LE] = "'<='",
        [T_GT] = "'>'",
        [T_GE] = "'>='",
    };
    if ((size_t)t < sizeof names / sizeof names[0] && names[t] != NULL)
        return names[t];
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (keywords[i].tok == t)
            return keywords[i].word;
    return "a token";
}
