/**
 * The configuration certificate renewal is tested on: OLD in siteDefaults, an FTP-only site and
 * a mixed web+FTP site that set OLD themselves, a site on a third certificate, an FTP site that
 * inherits from siteDefaults, and a web-only site.
 */
import { writeTemp } from './fixture.js';

export const OLD = '1111111111111111111111111111111111111111';
export const THIRD = '3333333333333333333333333333333333333333';

/** OLD as people paste it: spaces, an invisible mark, lower-case in one place. */
export const renewalConfig = (old = OLD, third = THIRD): string => `<?xml version="1.0" encoding="UTF-8"?>\r
<configuration>\r
    <system.applicationHost>\r
        <sites>\r
            <site name="Web Only" id="1">\r
                <bindings>\r
                    <binding protocol="http" bindingInformation="*:80:" />\r
                </bindings>\r
            </site>\r
            <!-- FTP only, its own certificate -->\r
            <site name="ftp-only" id="2">\r
                <bindings>\r
                    <binding protocol="ftp" bindingInformation="*:21:ftp.example.net" />\r
                </bindings>\r
                <ftpServer>\r
                    <security>\r
                        <ssl serverCertHash="${old}" controlChannelPolicy="SslRequire" />\r
                    </security>\r
                </ftpServer>\r
            </site>\r
            <site name="Mixed Web and FTP" id="3">\r
                <bindings>\r
                    <binding protocol="https" bindingInformation="*:443:www.example.net" sslFlags="1" />\r
                    <binding protocol="ftp" bindingInformation="*:990:www.example.net" />\r
                </bindings>\r
                <ftpServer>\r
                    <security>\r
                        <ssl serverCertHash="${old.toLowerCase()}" serverCertStoreName="MY" />\r
                    </security>\r
                </ftpServer>\r
            </site>\r
            <site name="Other Customer" id="4">\r
                <bindings>\r
                    <binding protocol="ftp" bindingInformation="*:2121:" />\r
                </bindings>\r
                <ftpServer>\r
                    <security>\r
                        <ssl serverCertHash="${third}" serverCertStoreName="My" />\r
                    </security>\r
                </ftpServer>\r
            </site>\r
            <site name="Inherits" id="5">\r
                <bindings>\r
                    <binding protocol="ftp" bindingInformation="*:2122:" />\r
                </bindings>\r
            </site>\r
            <siteDefaults>\r
                <ftpServer>\r
                    <security>\r
                        <ssl serverCertHash="${old}" />\r
                    </security>\r
                </ftpServer>\r
            </siteDefaults>\r
        </sites>\r
    </system.applicationHost>\r
</configuration>\r
`;

export const writeRenewalConfig = (old = OLD, third = THIRD): string => writeTemp(renewalConfig(old, third));
