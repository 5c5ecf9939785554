-- Answers of the API show long strings cut short, with a marker saying how long they were (issue 10): a CSV
-- cell may hold 20 MB, and its value reaches staging (raw), the row's errors (value and message), the quality
-- samples and error texts. Cut in the database, so that such a value never travels to the service whole.

CREATE FUNCTION cut_text(t text, max_chars int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN t IS NULL OR length(t) <= max_chars THEN t
        ELSE left(t, max_chars) || '… [truncated: ' || length(t) || ' characters in all]'
    END
$$;

-- every string inside a jsonb value (object values, array elements, a bare string) through cut_text
CREATE FUNCTION cut_strings(j jsonb, max_chars int) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    CASE jsonb_typeof(j)
        WHEN 'string' THEN
            RETURN CASE WHEN length(j #>> '{}') <= max_chars THEN j ELSE to_jsonb(cut_text(j #>> '{}', max_chars)) END;
        WHEN 'object' THEN
            RETURN (SELECT coalesce(jsonb_object_agg(e.key, cut_strings(e.value, max_chars)), '{}'::jsonb)
                    FROM jsonb_each(j) AS e);
        WHEN 'array' THEN
            RETURN (SELECT coalesce(jsonb_agg(cut_strings(e.value, max_chars) ORDER BY e.n), '[]'::jsonb)
                    FROM jsonb_array_elements(j) WITH ORDINALITY AS e(value, n));
        ELSE
            RETURN j;
    END CASE;
END
$$;
