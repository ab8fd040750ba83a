# The analysis of sql_literals.sh over the tokens of sql_lex.awk. Input:
# "F<TAB>path" before each file's tokens. Variables from the command line:
# composers and forwarders, space-separated "path:name" entries (see
# sql_literals.sh for why each is allowed). Prints one line per violation
# and a summary; exits 1 on any violation or if no SQL call site was found.

BEGIN { FS = "\t" }

$1 == "F" { file = $2; next }
{ k = ++count; tt[k] = $1; tv[k] = $2; tl[k] = $3; tf[k] = file }

# ---- helpers ----------------------------------------------------------------

function opens(v) { return v == "(" || v == "[" || v == "{" }
function closes(v) { return v == ")" || v == "]" || v == "}" }

# The index of the bracket that closes the one opened at p (or count).
function match_close(p, d, q) {
  d = 0
  for (q = p; q <= count && tf[q] == tf[p]; q++) {
    if (tt[q] != "P") continue
    if (opens(tv[q])) d++
    else if (closes(tv[q]) && --d == 0) return q
  }
  return count
}

# The index of the bracket that opens the one closed at p.
function match_open(p, d, q) {
  d = 0
  for (q = p; q >= 1 && tf[q] == tf[p]; q--) {
    if (tt[q] != "P") continue
    if (closes(tv[q])) d++
    else if (opens(tv[q]) && --d == 0) return q
  }
  return 1
}

# The first token at bracket depth 0 in [a, b] whose text is v (or 0).
function find_top(a, b, v, d, q) {
  d = 0
  for (q = a; q <= b; q++) {
    if (tt[q] == "P" && tv[q] == v && d == 0) return q
    if (tt[q] != "P") continue
    if (opens(tv[q])) d++
    else if (closes(tv[q])) d--
  }
  return 0
}

function is_sql_text(text) {
  return (" " text " ") ~ /[^A-Za-z_](SELECT|INSERT|UPDATE|DELETE|REPLACE|FROM|WHERE|JOIN|VALUES|ORDER BY|GROUP BY|LIMIT|OFFSET|PRAGMA|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|MATCH|UNION)[^A-Za-z_]/
}

function is_const(f, name) {
  return ((f SUBSEP name) in constant) || (("*" SUBSEP name) in constant)
}

# Some token of [a, b] is SQL text, literally or by a constant holding it.
function mentions_sql(a, b, q) {
  for (q = a; q <= b; q++) {
    if (tt[q] == "S" && is_sql_text(tv[q])) return 1
    if (tt[q] == "I" && (((tf[q] SUBSEP tv[q]) in sql_const) \
                         || (("*" SUBSEP tv[q]) in sql_const))) return 1
  }
  return 0
}

function text_of(a, b, q, s) {
  s = ""
  for (q = a; q <= b && q - a < 40; q++) s = s (q > a ? " " : "") \
      (tt[q] == "S" ? "\"" substr(tv[q], 1, 30) "\"" : tv[q])
  return s
}

# ---- what counts as fixed text ------------------------------------------------

# [a, b] is fixed text: literals and constants joined by `+`; a ternary
# chooses between fixed texts (its condition only selects); `[...]`
# subscripts select too. Sets `why` when not.
function expr_ok(a, b, q, colon, plus) {
  if (a > b) { why = "empty"; return 0 }
  q = find_top(a, b, "?")
  if (q) {
    colon = find_top(q + 1, b, ":")
    if (!colon) { why = "odd ternary"; return 0 }
    return expr_ok(q + 1, colon - 1) && expr_ok(colon + 1, b)
  }
  plus = find_top(a, b, "+")
  if (plus) return part_ok(a, plus - 1) && expr_ok(plus + 1, b)
  return part_ok(a, b)
}

function part_ok(x, y, f, base, j, q) {
  f = tf[x]
  while (y - 3 >= x && tv[y - 3] == "." && tv[y - 2] ~ /^(c_str|data)$/ \
         && tv[y - 1] == "(" && tv[y] == ")") y -= 4
  if (x > y) { why = "empty"; return 0 }
  if (tv[x] == "(" && match_close(x) == y) return expr_ok(x + 1, y - 1)
  if (tv[x] == "std" && tv[x + 1] == "::" && tv[x + 2] ~ /^(string|string_view)$/ \
      && tv[x + 3] == "(" && match_close(x + 3) == y)
    return expr_ok(x + 4, y - 1)
  for (q = x; q <= y && tt[q] == "S"; q++) ;
  if (q > y) return 1
  if (x == y && tt[x] == "N") return 1
  if (tt[x] != "I") { why = "not fixed text: " text_of(x, y); return 0 }
  base = tv[x]; j = x + 1
  if ((f SUBSEP base) in composer && tv[j] == "(" && tv[j + 1] == ")") j += 2
  else if ((f SUBSEP base) in forwarder) ;
  else if (is_const(f, base)) ;
  else if (((f SUBSEP base) in loop_over) && is_const(f, loop_over[f, base])) ;
  else { why = "not a constant: " base; return 0 }
  # What may follow: subscripts and members (of a constant, still fixed).
  while (j <= y) {
    if (tv[j] == "[") { j = match_close(j) + 1; continue }
    if ((tv[j] == "." || tv[j] == "->") && tt[j + 1] == "I") { j += 2; continue }
    why = "not fixed text: " text_of(x, y)
    return 0
  }
  return 1
}

function violation(q, message) {
  print tf[q] ":" tl[q] ": " message
  bad++
}

# ---- pass 1: constants and loop variables -------------------------------------

function collect(k, p, name, s, quals, e, q, literal_only) {
  p = k - 1
  if (tv[p] == "]") p = match_open(p) - 1
  if (tt[p] != "I" || tf[p] != tf[k]) return
  name = tv[p]
  for (s = p - 1; s >= 1 && tf[s] == tf[k]; s--)
    if (tt[s] == "P" && tv[s] ~ /^[;{}(:]$/) break
  quals = " "
  for (q = s + 1; q < p; q++) quals = quals tv[q] " "
  if (quals == " ") return # an assignment, not a declaration
  # Immutable: constexpr, or const with no pointer that could be re-aimed.
  if (quals !~ / constexpr / && !(quals ~ / const / \
      && (quals !~ /[*]/ || quals ~ /[*] const /))) return
  e = find_top(k + 1, count, ";")
  if (!e || tf[e] != tf[k]) return
  literal_only = 1
  for (q = k + 1; q < e; q++)
    if (!(tt[q] == "S" || tt[q] == "N" || tt[q] == "C" \
          || tv[q] ~ /^[{},-]$/)) literal_only = 0
  if (!literal_only && !expr_ok(k + 1, e - 1)) return
  constant[tf[k], name] = 1
  if (tf[k] ~ /\.(h|hpp)$/) constant["*", name] = 1
  if (mentions_sql(k + 1, e - 1)) {
    sql_const[tf[k], name] = 1
    if (tf[k] ~ /\.(h|hpp)$/) sql_const["*", name] = 1
  }
}

# for (... name : table)
function collect_loop(k, closing, colon) {
  if (tv[k + 1] != "(") return
  closing = match_close(k + 1)
  colon = find_top(k + 2, closing - 1, ":")
  if (colon && tt[colon - 1] == "I" && colon + 2 == closing && tt[colon + 1] == "I")
    loop_over[tf[k], tv[colon - 1]] = tv[colon + 1]
}

# ---- pass 2: call sites ---------------------------------------------------------

# Checks argument `nth` of the call whose "(" is at p.
function check_call(name_at, p, nth, closing, a, q, i, e) {
  closing = match_close(p)
  a = p + 1
  for (i = 1; i < nth; i++) {
    q = find_top(a, closing - 1, ",")
    if (!q) return # fewer arguments: not a call we know
    a = q + 1
  }
  e = find_top(a, closing - 1, ",")
  e = e ? e - 1 : closing - 1
  if (a > e) return
  for (q = a; q < e; q++) # "type name": a declaration, not a call
    if (tt[q] == "I" && (tt[q + 1] == "I" \
        || (tv[q + 1] ~ /^[*&]$/ && tt[q + 2] == "I"))) return
  sites++
  if (!expr_ok(a, e))
    violation(name_at, "SQL passed to " tv[name_at] "() is not fixed text (" why ")")
}

# ---- pass 3: concatenation ------------------------------------------------------

function operand_start(p) {
  for (;;) {
    if (tt[p] == "S") { while (tt[p - 1] == "S") p--; return p }
    if (tv[p] == ")" || tv[p] == "]") {
      p = match_open(p)
      if (tt[p - 1] == "I" || tv[p - 1] == ")" || tv[p - 1] == "]") { p--; continue }
      return p
    }
    if ((tt[p] == "I" || tt[p] == "N") && tv[p - 1] ~ /^(\.|->|::)$/) { p -= 2; continue }
    return p
  }
}

function operand_end(p) {
  if (tt[p] == "S") { while (tt[p + 1] == "S") p++; return p }
  if (tv[p] == "(") p = match_close(p)
  for (;;) {
    if (tv[p + 1] ~ /^(\.|->|::)$/ && tt[p + 2] == "I") { p += 2; continue }
    if (tv[p + 1] == "(" || tv[p + 1] == "[") { p = match_close(p + 1); continue }
    return p
  }
}

# A chain a + b + c (or a += b, s << a << b) with SQL text in it must be
# fixed text throughout: `+=` and `<<` grow a mutable string or stream, so
# they never qualify.
function check_chain(k, op, a, e, n, i, from, to, sql) {
  op = tv[k]
  n = 0
  from[++n] = operand_start(k - 1); to[n] = k - 1
  for (;;) {
    done[k] = 1
    e = operand_end(k + 1)
    from[++n] = k + 1; to[n] = e
    if (tv[e + 1] == op && tt[e + 1] == "P" && op != "+=") { k = e + 1; continue }
    break
  }
  sql = 0
  for (i = 1; i <= n; i++) if (mentions_sql(from[i], to[i])) sql = 1
  if (!sql) return
  if (op != "+") {
    violation(k, "SQL text built with " op)
    return
  }
  for (i = 1; i <= n; i++)
    if (!part_ok(from[i], to[i])) {
      violation(k, "SQL text concatenated with a value that is not fixed (" why ")")
      return
    }
}

# ---- the composers' bodies ------------------------------------------------------

# Inside an allowed composer every initialization and assignment is fixed
# text (or a counter), and nothing is appended.
function check_composer(k, body, end, q, e) {
  body = k + 3
  end = match_close(body)
  for (q = body; q <= end; q++) {
    if (tv[q] == "+=" || (tv[q] ~ /^(append|insert)$/ && tv[q - 1] == ".")) {
      violation(q, "composer " tv[k] "() appends")
      continue
    }
    if (tv[q] != "=" || tt[q] != "P" || tv[q + 1] == "[") continue # lambda
    e = find_top(q + 1, end, ";")
    if (!e || !expr_ok(q + 1, e - 1))
      violation(q, "composer " tv[k] "() assigns what is not fixed text (" why ")")
  }
  composer_seen[tf[k], tv[k]] = 1
}

END {
  n = split(composers, list, " ")
  for (i = 1; i <= n; i++) {
    split(list[i], part, ":"); composer[part[1], part[2]] = 1
  }
  n = split(forwarders, list, " ")
  for (i = 1; i <= n; i++) {
    split(list[i], part, ":"); forwarder[part[1], part[2]] = 1
  }

  for (k = 1; k <= count; k++) {
    if (tt[k] == "P" && tv[k] == "=") collect(k)
    else if (tt[k] == "I" && tv[k] == "for") collect_loop(k)
  }

  for (k = 1; k <= count; k++) {
    if (tt[k] != "I") continue
    v = tv[k]
    if (v ~ /^sqlite3_(v?s?n?mprintf|v?snprintf|str_[a-z]+)$/)
      violation(k, v "() formats text: SQL must be fixed text with ? parameters")
    else if (v ~ /^(cached|prepare|exec)$/ && tv[k - 1] ~ /^(\.|->)$/ \
             && tv[k + 1] == "(")
      check_call(k, k + 1, 1)
    else if (v ~ /^sqlite3_(prepare(16)?(_v[23])?|exec)$/ && tv[k + 1] == "(")
      check_call(k, k + 1, 2)
    else if (v == "statement" && tv[k - 1] != "::" && tv[k - 1] != "~") {
      if (tv[k + 1] == "(") check_call(k, k + 1, 2)
      else if (tt[k + 1] == "I" && tv[k + 2] ~ /^[({]$/) check_call(k, k + 2, 2)
    } else if (v ~ /^(s?n?printf|v?format|asprintf)$/ && tv[k + 1] == "(" \
               && mentions_sql(k + 2, match_close(k + 1)))
      violation(k, v "() formats SQL text")
    else if (((tf[k] SUBSEP v) in composer) && tv[k + 1] == "(" \
             && tv[k + 2] == ")" && tv[k + 3] == "{")
      check_composer(k)
  }

  for (k = 1; k <= count; k++)
    if (tt[k] == "P" && tv[k] ~ /^(\+|\+=|<<)$/ && !(k in done)) check_chain(k)

  for (key in composer)
    if (!(key in composer_seen)) {
      split(key, part, SUBSEP)
      print part[1] ": composer " part[2] "() not found (stale allowlist)"
      bad++
    }
  if (sites == 0) {
    print "no SQL call site found: is this the source tree?"
    bad++
  }
  print sites + 0 " SQL call sites checked, " bad + 0 " violations"
  exit bad ? 1 : 0
}
