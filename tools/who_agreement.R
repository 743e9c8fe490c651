# who_agreement.R — writes the WHO z-scores that the growth engine's agreement test
# (tests/unit/test_growth.c) compares against, computed by WHO's own R packages around the
# 60-month boundary where the 2006 standards end and the 2007 reference begins:
#   <dir>/anthroplus-agreement.csv  anthroplus::anthroplus_zscores (2007 reference)
#   <dir>/anthro-agreement.csv      anthro::anthro_zscores (2006 standards)
# Usage: Rscript tools/who_agreement.R data/who-growth
# It needs R with WHO's packages anthroplus and anthro already installed (on .libPaths(), e.g.
# through R_LIBS); it installs nothing. data/who-growth/README.md ("Agreement with WHO's
# packages") names the R and package versions the committed files were made with.
suppressPackageStartupMessages({
  library(anthroplus)
  library(anthro)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript tools/who_agreement.R <output dir>")
dir <- args[[1]]

write_rows <- function(df, file) {
  utils::write.csv(df, file.path(dir, file), row.names = FALSE, quote = FALSE, na = "NA")
}

# ---- 2007 reference: ages around 60 and 61 months, and the upper limits
ages07 <- c(59.5, 59.75, 59.99, 60, 60.01, 60.1, 60.25, 60.5, 60.75, 60.9, 60.99, 61, 61.01,
            61.5, 61.99, 62, 119.99, 120, 120.01, 120.5, 227.99, 228, 228.01)
heights <- c(90, 100, 105, 110.3, 115, 120, 135)
weights <- c(10, 14, 18.6, 22, 26, 40)
grid <- expand.grid(weight_kg = weights, height_cm = heights, age_months = ages07, sex = c(1, 2),
                    KEEP.OUT.ATTRS = FALSE)
grid$oedema <- "n"
# oedema codes and missing values at each boundary age, both sexes
special <- expand.grid(age_months = ages07, sex = c(1, 2), KEEP.OUT.ATTRS = FALSE)
oedema_rows <- do.call(rbind, lapply(c("y", "Y", "1", "N", "2", NA), function(o) {
  data.frame(weight_kg = 19, height_cm = 110, age_months = special$age_months,
             sex = special$sex, oedema = o)
}))
missing_rows <- data.frame(
  weight_kg = c(NA, 19, 19, 19, NA, 0),
  height_cm = c(110, NA, 110, 110, NA, 110),
  age_months = c(60.5, 60.5, NA, 60.5, 60.5, 60.5),
  sex = c(1, 2, 1, NA, 2, 1),
  oedema = "n"
)
in07 <- rbind(grid, oedema_rows, missing_rows)
z07 <- anthroplus_zscores(sex = in07$sex, age_in_months = in07$age_months, oedema = in07$oedema,
                          height_in_cm = in07$height_cm, weight_in_kg = in07$weight_kg)
out07 <- data.frame(sex = in07$sex, age_months = in07$age_months, height_cm = in07$height_cm,
                    weight_kg = in07$weight_kg, oedema = in07$oedema, cbmi = signif(z07$cbmi, 15),
                    zhfa = z07$zhfa, fhfa = z07$fhfa, zwfa = z07$zwfa, fwfa = z07$fwfa,
                    zbfa = z07$zbfa, fbfa = z07$fbfa)
write_rows(out07, "anthroplus-agreement.csv")

# ---- 2006 standards: the same boundary from below, age in months and in days
measures <- data.frame(
  weight = c(18.3, 12, 26, 19, 17),
  lenhei = c(110, 100.4, 120, 108.6, 112),
  headc = c(50.5, 47, 53, 49.9, 51.2),
  armc = c(16.5, 13, 21, 15.8, 17),
  triskin = c(9, 5, 16, 8.4, 10),
  subskin = c(6, 3.5, 12, 5.7, 7)
)
run06 <- function(ages, in_months) {
  g <- expand.grid(m = seq_len(nrow(measures)), measure = c("h", "l", NA), oedema = c("n", "y"),
                   age = ages, sex = c(1, 2), stringsAsFactors = FALSE, KEEP.OUT.ATTRS = FALSE)
  v <- measures[g$m, ]
  z <- anthro_zscores(sex = g$sex, age = g$age, is_age_in_month = in_months, weight = v$weight,
                      lenhei = v$lenhei, measure = g$measure, headc = v$headc, armc = v$armc,
                      triskin = v$triskin, subskin = v$subskin, oedema = g$oedema)
  data.frame(sex = g$sex, age = g$age, age_unit = if (in_months) "months" else "days",
             weight_kg = v$weight, lenhei_cm = v$lenhei, measure = g$measure, headc_cm = v$headc,
             armc_cm = v$armc, triskin_mm = v$triskin, subskin_mm = v$subskin, oedema = g$oedema,
             clenhei = signif(z$clenhei, 15), zlen = z$zlen, flen = z$flen, zwei = z$zwei,
             fwei = z$fwei, zwfl = z$zwfl, fwfl = z$fwfl, zbmi = z$zbmi, fbmi = z$fbmi,
             zhc = z$zhc, fhc = z$fhc, zac = z$zac, fac = z$fac, zts = z$zts, fts = z$fts,
             zss = z$zss, fss = z$fss)
}
out06 <- rbind(
  run06(c(59, 59.5, 59.9, 59.99, 60, 60.01, 60.5, 60.99, 61, 62), TRUE),
  run06(c(1824, 1825, 1825.5, 1826, 1826.2, 1826.25, 1827, 1856, 1857), FALSE)
)
write_rows(out06, "anthro-agreement.csv")
