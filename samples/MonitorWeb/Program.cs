using MonitorWeb;

var app = MonitorWebApp.Create(args);
await app.StartAsync();
foreach (string url in app.Urls) Console.WriteLine($"Port monitor on {url}  (Ctrl+C to stop)");
await app.WaitForShutdownAsync();
