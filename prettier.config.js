// Prettier's options, chosen to match how the code was already written so the
// one-time reformat is as small as possible. Measured on the *.{ts,mts,mjs,js}
// files (lines that change): printWidth 80: 4161, 120: 1670, 160: 743,
// 169: 669 (the fewest), 170: 673, 180: 737, 200: 860. Single quotes,
// semicolons, trailing commas everywhere and parentheses around every arrow
// parameter are what the code uses (arrowParens 'avoid': 1326; trailingComma
// 'es5': 796).
export default {
  printWidth: 169,
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
  arrowParens: 'always',
};
