using ChargeLink.PaymentAdapter;
using ChargeLink.ServiceDefaults;

return await ServiceHost.Run(
    args,
    ChargeLink.PaymentAdapter.Extensions.ServiceName,
    builder => builder.AddPaymentAdapter(),
    app => app.MapPaymentAdapter()
);
