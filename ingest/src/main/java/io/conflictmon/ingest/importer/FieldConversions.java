package io.conflictmon.ingest.importer;

import io.conflictmon.ingest.validation.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Text -> value conversions shared by the file parsers; failures become field errors. */
final class FieldConversions {
    private FieldConversions() {
    }

    /** True for an empty cell or a spreadsheet's/pandas' spelling of "no value". */
    static boolean isMissing(String raw) {
        if (raw == null) {
            return true;
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() || s.equals("nan") || s.equals("null") || s.equals("none");
    }

    /**
     * A count written as an integer or as an integral float ({@code 339.0}); null when missing. Adds a field error
     * and returns null for non-numbers, non-integral values ({@code 3.5}) and values beyond int. Negative values are
     * returned as they are, for the validator to refuse with its range message.
     */
    static Integer count(String raw, String path, List<FieldError> errors) {
        if (isMissing(raw)) {
            return null;
        }
        String s = raw.strip();
        BigDecimal value;
        try {
            value = new BigDecimal(s);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(path, "must be a whole number; got '" + s + "'"));
            return null;
        }
        if (value.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError(path, "must be a whole number (339 or 339.0); got " + s));
            return null;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            errors.add(new FieldError(path, "must be a whole number within the allowed range; got " + s));
            return null;
        }
    }

    /** Conversion errors first, then the validator's errors for fields that converted (no double report). */
    static List<FieldError> merge(List<FieldError> conversionErrors, List<FieldError> validationErrors) {
        if (conversionErrors.isEmpty()) {
            return validationErrors;
        }
        List<FieldError> all = new ArrayList<>(conversionErrors);
        Set<String> seen = new HashSet<>();
        conversionErrors.forEach(e -> seen.add(e.path()));
        for (FieldError e : validationErrors) {
            if (!seen.contains(e.path())) {
                all.add(e);
            }
        }
        return all;
    }

    /** The stripped text, or null when blank. */
    static String text(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }
}
