using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChargeLink.Orchestrator.OperatorConsole;

/// <summary>The OpenAPI document says what the read API asks of a caller: the operator's token as a bearer
/// token.</summary>
public sealed class OperatorSecurityScheme : IOpenApiDocumentTransformer
{
    public Task TransformAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        document.Info.Title = "ChargeLink read API";
        document.Info.Description =
            "What each station group looks like now, its sessions, and each payment's story. Every path needs "
            + "`Authorization: Bearer <CHARGELINK_OPERATOR_TOKEN>`; /health/ready, /metrics and this document do not.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["operator"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An operator's token (CHARGELINK_OPERATOR_TOKEN).",
        };
        document.Security ??= [];
        document.Security.Add(
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("operator", document)] = [] }
        );
        return Task.CompletedTask;
    }
}
