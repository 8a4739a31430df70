package io.opsdoc.checks.edge;

import java.util.List;

/** Every row of HAProxy's stats CSV that the evaluation uses, as read from {@code url}. */
public record HaproxyFacts(String url, List<Row> rows) {
    public static final int FRONTEND = 0;
    public static final int BACKEND = 1;
    public static final int SERVER = 2;

    /**
     * One CSV row; numbers are null where HAProxy leaves the field empty (no limit, not applicable).
     *
     * @param status      UP, DOWN, MAINT, DRAIN, NOLB, "UP 1/3" (going down), "DOWN 1/2" (coming up), no check, OPEN
     * @param checkStatus the last health check's result: L4OK, L4CON, L4TOUT, L7OK, L7STS, L7TOUT, L6RSP ...
     * @param checkCode   the HTTP status of an L7 check, when there is one
     * @param lastCheck   the last check's detail ("Connection refused", "HTTP status check returned code <3C>500<3E>")
     * @param lastChange  seconds since the status last changed
     */
    public record Row(String proxy, String name, int type, String status, String checkStatus, String checkCode,
            String lastCheck, Long qcur, Long qlimit, Long scur, Long slim, Long lastChange) {
    }
}
