// Plural categories by language (Intl.PluralRules), one rules object each.
const pluralRules = new Map<string, Intl.PluralRules>();

/** The plural category of `n` in `locale` ("one", "other", ...). */
export function pluralOf(n: number, locale: string): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(n);
}
