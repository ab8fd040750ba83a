# A small C++ lexer for sql_literals.sh: one token per output line,
# "TYPE<TAB>TEXT<TAB>LINE", TYPE being S (string literal, raw ones
# included, text without quotes), C (character literal), I (identifier or
# keyword), N (number) or P (punctuation). Comments are dropped. Tabs and
# newlines inside literals become spaces so that every token stays one line.

{ src = src $0 "\n" }

function emit(type, text, at) {
  gsub(/[\t\n]/, " ", text)
  print type "\t" text "\t" at
}

# Index just past the closing quote of a literal opening at `start`.
function quoted_end(start, quote, j, ch) {
  j = start + 1
  while (j <= n) {
    ch = substr(src, j, 1)
    if (ch == "\\") { j += 2; continue }
    if (ch == quote || ch == "\n") return j + 1
    j++
  }
  return j
}

function count_lines(text) { return gsub(/\n/, "", text) }

END {
  n = length(src); i = 1; line = 1
  while (i <= n) {
    c = substr(src, i, 1)
    if (c == "\n") { line++; i++; continue }
    if (c ~ /[ \t\r\f\v\\]/) { i++; continue }
    two = substr(src, i, 2)
    if (two == "//") {
      j = index(substr(src, i), "\n")
      if (j == 0) break
      i += j - 1
      continue
    }
    if (two == "/*") {
      j = index(substr(src, i + 2), "*/")
      if (j == 0) break
      line += count_lines(substr(src, i, j + 3))
      i += j + 3
      continue
    }
    if (c ~ /[A-Za-z_]/) {
      j = i
      while (j <= n && substr(src, j, 1) ~ /[A-Za-z0-9_]/) j++
      word = substr(src, i, j - i)
      next_ch = substr(src, j, 1)
      if (next_ch == "\"" && word ~ /^(R|u8R|uR|UR|LR)$/) {
        # R"delim( ... )delim"
        open = index(substr(src, j + 1), "(")
        delim = substr(src, j + 1, open - 1)
        body_start = j + 1 + open
        closing = index(substr(src, body_start), ")" delim "\"")
        if (closing == 0) closing = n - body_start + 1
        text = substr(src, body_start, closing - 1)
        emit("S", text, line)
        line += count_lines(text)
        i = body_start + closing + length(delim) + 1
        continue
      }
      if ((next_ch == "\"" || next_ch == "'") && word ~ /^(u8|u|U|L)$/) {
        i = j
        continue # the literal itself is lexed next
      }
      emit("I", word, line)
      i = j
      continue
    }
    if (c ~ /[0-9]/ || (c == "." && substr(src, i + 1, 1) ~ /[0-9]/)) {
      j = i
      while (j <= n && substr(src, j, 1) ~ /[0-9A-Za-z_.]/) j++
      emit("N", substr(src, i, j - i), line)
      i = j
      continue
    }
    if (c == "\"" || c == "'") {
      j = quoted_end(i, c)
      emit(c == "\"" ? "S" : "C", substr(src, i + 1, j - i - 2), line)
      i = j
      continue
    }
    three = substr(src, i, 3)
    if (three == "<<=" || three == ">>=" || three == "..." || three == "->*") {
      emit("P", three, line)
      i += 3
      continue
    }
    if (two ~ /^(->|::|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|<<|>>|==|!=|<=|>=|&&|\|\||\+\+|--|\.\*)$/) {
      emit("P", two, line)
      i += 2
      continue
    }
    emit("P", c, line)
    i++
  }
}
