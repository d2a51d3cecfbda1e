using MassTransit;

namespace ChargeLink.Contracts;

/// <summary>A message about one station group; its correlation id is the group's saga key.</summary>
public interface IGroupMessage : CorrelatedBy<Guid>
{
    string GroupId { get; }

    Guid CorrelatedBy<Guid>.CorrelationId => GroupCorrelation.IdOf(GroupId);
}
