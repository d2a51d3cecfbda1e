using ChargeLink.PaymentAdapter;

return await ServiceHost.Run(
    args,
    ChargeLink.PaymentAdapter.Extensions.ServiceName,
    builder => builder.AddPaymentAdapter(),
    app => app.MapPaymentAdapter()
);
