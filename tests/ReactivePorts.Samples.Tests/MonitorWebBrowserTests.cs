using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ReactivePorts.Samples.Tests;

/// <summary>
/// samples/MonitorWeb in a real headless browser: Debian's chromium driven by its chromedriver
/// through Selenium. The app is hosted in this process on a free loopback port; the page gets the
/// live table over Server-Sent Events. Every wait is on a condition, with a timeout.
/// </summary>
public sealed class MonitorWebBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Page_ShowsAPortAppear_ItsCountersMove_AndItsExit()
    {
        // A missing browser fails the test (CI installs it); it is never skipped.
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium");
        Assert.True(File.Exists(ChromeDriver), $"{ChromeDriver} is missing: apt-get install chromium-driver");

        await using var app = MonitorWeb.MonitorWebApp.Create(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        string url = app.Urls.Single();
        Assert.DoesNotContain(":0", url[^2..]);

        using var driver = StartBrowser();
        driver.Navigate().GoToUrl(url);
        var wait = new WebDriverWait(driver, Timeout) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));

        // The page is served from local files and its stream is live.
        wait.Until(d => d.FindElement(By.Id("status")).Text == "live");
        Assert.Equal("ReactivePorts monitor", driver.Title);

        // The echo port appears; its counters move.
        string echo = wait.Until(d => RowId(d, "cat"));
        string firstRead = wait.Until(d => Cell(d, echo, "packets"));
        wait.Until(d => Cell(d, echo, "packets") != firstRead);
        Assert.Equal("spawn", Cell(driver, echo, "kind"));
        Assert.Matches(@"^\d+$", Cell(driver, echo, "pid"));

        // A ticker appears, reads lines, and exits with status 3: its row shows the exit.
        string ticker = wait.Until(d => RowId(d, "sh -c", state: "open"));
        wait.Until(d => Cell(d, ticker, "packets").StartsWith("0 ") == false);
        wait.Until(d => Cell(d, ticker, "state") == "exited");
        Assert.Equal("exit code 3", Cell(driver, ticker, "exit"));

        // The port whose child never reads shows as busy, with a queue.
        string stuck = wait.Until(d => RowId(d, "sleep 3600"));
        wait.Until(d => Cell(d, stuck, "state") == "busy");
        Assert.NotEqual("0 B", Cell(driver, stuck, "queue"));

        // Throughput is shown above the table.
        wait.Until(d => d.FindElement(By.Id("read-rate")).Text != "0 B/s");

        await app.StopAsync();
    }

    private static ChromeDriver StartBrowser()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run");
        return new ChromeDriver(service, options, Timeout);
    }

    /// <summary>The id of the first row whose name starts with <paramref name="name"/> (and is in <paramref name="state"/>), or null (WebDriverWait waits on).</summary>
    private static string? RowId(IWebDriver driver, string name, string? state = null)
    {
        foreach (var row in driver.FindElements(By.CssSelector("#ports tbody tr")))
        {
            if (!row.FindElement(By.CssSelector("td.name")).Text.StartsWith(name, StringComparison.Ordinal)) continue;
            if (state is not null && row.FindElement(By.CssSelector("td.state")).Text != state) continue;
            return row.GetAttribute("data-id");
        }
        return null;
    }

    private static string Cell(IWebDriver driver, string id, string column) =>
        driver.FindElement(By.CssSelector($"#ports tbody tr[data-id='{id}'] td.{column}")).Text;
}
