package dev.hsdo.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's headless {@code chromium} driven through Debian's {@code chromedriver}, both named by path so that
 * Selenium Manager never looks for (or downloads) a browser or a driver. One browser per test class.
 */
public final class Chromium implements AutoCloseable {
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Chromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts a headless browser with its profile in {@code profileDir}. */
    public static Chromium start(Path profileDir) {
        for (Path p : List.of(BROWSER, DRIVER))
            if (!Files.isExecutable(p))
                throw new IllegalStateException(p + " is missing: apt-get install chromium chromium-driver (scripts/test does)");
        // Belt and braces: even if something asked Selenium Manager, it would stay offline.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profileDir,
                // no calls home from the test machine
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        try {
            return new Chromium(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** The browser. */
    public ChromeDriver driver() {
        return driver;
    }

    /** The elements matching {@code css} now. */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The visible text of the first element matching {@code css}, or "" when there is none. */
    public String text(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? "" : found.getFirst().getText();
    }

    /** Saves what the page shows to {@code png}, the window first made tall enough for the whole page. */
    public void screenshot(Path png) {
        long height = (Long) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(4000, Math.max(600, height + 40))));
        try {
            byte[] bytes = driver.getScreenshotAs(OutputType.BYTES);
            if (png.getParent() != null) Files.createDirectories(png.getParent());
            Files.write(png, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
