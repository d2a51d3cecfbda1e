using ChargeLink.PaymentAdapter;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentAdapter();
var app = builder.Build();
app.MapPaymentAdapter();
app.Run();
