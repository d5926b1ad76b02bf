package io.kk.error;

import java.util.List;

/** Input that failed validation; carries every problem found, not just the first. */
public final class InvalidInputException extends KkException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidInputException(String message, List<Problem> problems) {
        super(ErrorKind.INVALID_INPUT, message, "fix the problems listed above and run again");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
