using ChargeLink.Domain.Groups;

namespace ChargeLink.Cli.Audit;

/// <summary>One group event in words for a timeline: what happened, where, to which payment, and the figures.</summary>
public sealed record EventLine(string What, string? Where, string? PaymentId, string Detail)
{
    public static EventLine Of(IGroupEvent e)
    {
        var description = e.Describe();
        return new(description.What, e.Connector?.ToString(), e.PaymentId, description.Detail);
    }
}
