namespace ChargeLink.PaymentAdapter.Inbound;

/// <summary>
/// When an authorization may be used: a signed message captured off the wire and published again later must
/// not start charging, so authorizedAt must be recent, and not in the future beyond the clocks' disagreement.
/// </summary>
public sealed record AuthorizationWindow(TimeSpan MaxAge, TimeSpan ClockSkew)
{
    /// <summary>Throws <see cref="PaymentMessageRejectedException"/> when <paramref name="authorizedAt"/> is outside
    /// the window.</summary>
    public void Check(DateTimeOffset authorizedAt, DateTimeOffset now)
    {
        if (authorizedAt > now + ClockSkew)
            throw new PaymentMessageRejectedException(
                $"authorizedAt: {authorizedAt:O} is {(authorizedAt - now).TotalSeconds:F0} s ahead "
                    + $"of our clock (at most {ClockSkew.TotalSeconds:F0} s allowed)",
                RejectionCheck.Age
            );
        if (authorizedAt < now - MaxAge)
            throw new PaymentMessageRejectedException(
                $"authorizedAt: {authorizedAt:O} is {(now - authorizedAt).TotalSeconds:F0} s old "
                    + $"(at most {MaxAge.TotalSeconds:F0} s allowed); refused as a possible replay",
                RejectionCheck.Age
            );
    }
}
