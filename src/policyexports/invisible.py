"""Characters Python counts as printable that a reader cannot see, for escaping and blankness.

They are default-ignorable letters and marks, drawn as nothing: the Hangul fillers, the
combining grapheme joiner, the Khmer and Mongolian invisibles, and the blank Braille cell. A
name made of them looks blank, or like another name. Variation selectors are left out: they
choose how an emoji is drawn. Controls and format characters (U+200B) are not printable to
Python, so output escapes them anyway.
"""

DRAWN_AS_NOTHING = "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
